-- The one clock (issue 12): every deadline someone must meet, escalated by one job.
CREATE TABLE "Deadlines" (
    "Id" uuid NOT NULL,
    "SubjectType" character varying(40) NOT NULL,
    "SubjectId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "DepartmentCode" character varying(20),
    "DueUtc" timestamp with time zone NOT NULL,
    "EscalateAtUtc" timestamp with time zone,
    "Level" integer NOT NULL,
    "Escalations" integer NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "ClosedUtc" timestamp with time zone,
    CONSTRAINT "PK_Deadlines" PRIMARY KEY ("Id")
);

CREATE INDEX "IX_Deadlines_ClosedUtc_EscalateAtUtc" ON "Deadlines" ("ClosedUtc", "EscalateAtUtc");

CREATE INDEX "IX_Deadlines_DivisionCode_DueUtc" ON "Deadlines" ("DivisionCode", "DueUtc");

CREATE INDEX "IX_Deadlines_SubjectType_SubjectId" ON "Deadlines" ("SubjectType", "SubjectId");
