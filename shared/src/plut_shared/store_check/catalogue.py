"""Every guarantee the platform relies on, in the order the check runs them."""

from plut_shared.store_check import concurrency, indexes, kernel_shapes
from plut_shared.store_check.runner import Check

CHECKS: list[Check] = [
    Check("atomic single-document update", concurrency.atomic_increments),
    Check("conditional update, one winner", concurrency.conditional_update),
    Check("find_one_and_update claim, one winner", concurrency.find_one_and_update_claim),
    Check("find_one_and_update returns the new document", concurrency.find_one_and_update_after),
    Check("unique index refuses duplicates", indexes.unique_index),
    Check("unique (_id, version) index, stale version matches nothing", indexes.version_index),
    Check("$push with $each and $slice keeps the last N", indexes.push_slice),
    Check("kernel filter shapes", kernel_shapes.filter_shapes),
    Check("kernel update operators", kernel_shapes.update_operators),
    Check("insert_many(ordered=False) reports duplicates", kernel_shapes.unordered_inserts),
    Check("bulk_write of UpdateOne", kernel_shapes.bulk_updates),
]
