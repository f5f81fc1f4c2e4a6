-- 0048 (issue 16): vehicle findings that became clues (卡口车辆研判): one row per plate, township and cause, with its
-- score, Chinese explanation, the clue it became and, once someone explained it (已说明), the note and who/when: an
-- explained plate and cause is not raised again by the daily scan.

CREATE TABLE "VehicleFindings" (
    "Id" uuid NOT NULL,
    "Plate" character varying(20) NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Cause" character varying(40) NOT NULL,
    "CheckpointId" uuid NOT NULL,
    "AditId" uuid,
    "Score" double precision NOT NULL,
    "Explanation" character varying(1000) NOT NULL,
    "Status" character varying(12) NOT NULL,
    "ClueId" uuid,
    "FoundUtc" timestamp with time zone NOT NULL,
    "LastFoundUtc" timestamp with time zone NOT NULL,
    "ExplanationNote" character varying(500),
    "ExplainedById" uuid,
    "ExplainedByName" character varying(100),
    "ExplainedUtc" timestamp with time zone,
    CONSTRAINT "PK_VehicleFindings" PRIMARY KEY ("Id")
);

CREATE UNIQUE INDEX "IX_VehicleFindings_Plate_DivisionCode_Cause" ON "VehicleFindings" ("Plate", "DivisionCode", "Cause");

CREATE INDEX "IX_VehicleFindings_DivisionCode" ON "VehicleFindings" ("DivisionCode");
