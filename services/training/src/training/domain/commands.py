"""What officers ask for, as validated request bodies (bounded, unknown fields refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from plut_shared.contracts.registration import ScaleClass
from pydantic import BaseModel, ConfigDict, Field

from training.domain.consultant import Area
from training.domain.course import Topic

Id = Annotated[str, Field(min_length=1, max_length=64)]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CreateCourse(Command):
    centre_id: str = Field(max_length=40, description="PLUT centre, e.g. `kota-mojokerto`.")
    topic: Topic
    title: str | None = Field(
        default=None, max_length=120, description="Defaults to the topic's Indonesian name."
    )
    description: str = Field(default="", max_length=2000)
    prerequisite_course_id: str | None = Field(default=None, max_length=64)
    target_scale_classes: list[ScaleClass] = Field(
        default_factory=list, max_length=4, description="Empty: every class."
    )
    target_sectors: list[str] = Field(
        default_factory=list, max_length=20, description="Empty: every sector."
    )
    min_attendance_percent: int = Field(
        default=100, ge=1, le=100, description="Share of session days to attend for completion."
    )


class ScheduleSession(Command):
    starts_at: datetime = Field(description="With a UTC offset, e.g. `2026-06-10T09:00:00+07:00`.")
    ends_at: datetime = Field(description="With a UTC offset; at most 14 days after the start.")
    venue: str | None = Field(default=None, max_length=200, description="Or `online_link`.")
    online_link: str | None = Field(default=None, max_length=190, description="https:// link.")
    trainer: str = Field(min_length=1, max_length=120)
    capacity: int = Field(ge=1, le=500)


class RescheduleSession(Command):
    starts_at: datetime
    ends_at: datetime
    reason: str = Field(default="", max_length=300)


class CancelSession(Command):
    reason: str = Field(default="", max_length=300)


class Enrol(Command):
    umkm_id: Id


class RecordAttendance(Command):
    present: list[str] = Field(
        max_length=500, description="Ids of the enterprises present that day."
    )


class AddConsultant(Command):
    centre_id: str = Field(max_length=40)
    name: str = Field(min_length=1, max_length=120, description="The consultant's name.")
    areas: list[Area] = Field(min_length=1, max_length=7)


class SlotTimes(Command):
    starts_at: datetime
    ends_at: datetime


class OfferSlots(Command):
    slots: list[SlotTimes] = Field(min_length=1, max_length=100)


class BookMentoring(Command):
    consultant_id: Id
    slot_id: Id
    umkm_id: Id
    area: Area


class RescheduleMentoring(Command):
    slot_id: Id


class CompleteMentoring(Command):
    summary: str = Field(
        max_length=1000,
        description="What was discussed and agreed, without names, phone numbers, NIK or NIB.",
    )
    follow_up_areas: list[Area] = Field(default_factory=list, max_length=7)
