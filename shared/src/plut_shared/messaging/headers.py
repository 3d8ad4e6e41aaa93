"""Headers the kernel sets on retried and parked messages."""

ATTEMPTS = "x-plut-attempts"
FIRST_FAILURE_AT = "x-plut-first-failure-at"
ORIGINAL_ROUTING_KEY = "x-plut-original-routing-key"
ORIGINAL_QUEUE = "x-plut-original-queue"
ERROR_TYPE = "x-plut-error-type"
ERROR_MESSAGE = "x-plut-error-message"
PARKED_AT = "x-plut-parked-at"
PARK_REASON = "x-plut-park-reason"
# The broker-verified `user_id` of the original publisher, kept when the consumer
# re-publishes a message to its retry queues or parking lot under its own user.
VERIFIED_PUBLISHER = "x-plut-verified-publisher"

# Set by the kernel only: a message from any other publisher loses them before
# the kernel writes its own (a publisher cannot pre-set attempts or origins).
KERNEL_HEADERS = frozenset(
    {
        ATTEMPTS,
        FIRST_FAILURE_AT,
        ORIGINAL_ROUTING_KEY,
        ORIGINAL_QUEUE,
        ERROR_TYPE,
        ERROR_MESSAGE,
        PARKED_AT,
        PARK_REASON,
        VERIFIED_PUBLISHER,
    }
)
