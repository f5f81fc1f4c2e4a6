-- The one clock (issue 12): every deadline someone must meet, escalated by one job.
CREATE TABLE "Deadlines" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Deadlines" PRIMARY KEY,
    "SubjectType" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "DepartmentCode" TEXT NULL,
    "DueUtc" TEXT NOT NULL,
    "EscalateAtUtc" TEXT NULL,
    "Level" INTEGER NOT NULL,
    "Escalations" INTEGER NOT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "ClosedUtc" TEXT NULL
);

CREATE INDEX "IX_Deadlines_ClosedUtc_EscalateAtUtc" ON "Deadlines" ("ClosedUtc", "EscalateAtUtc");

CREATE INDEX "IX_Deadlines_DivisionCode_DueUtc" ON "Deadlines" ("DivisionCode", "DueUtc");

CREATE INDEX "IX_Deadlines_SubjectType_SubjectId" ON "Deadlines" ("SubjectType", "SubjectId");
