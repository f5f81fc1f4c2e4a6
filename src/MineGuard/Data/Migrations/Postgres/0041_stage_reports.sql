-- 0041 (issue 18): stage reports upward (阶段报告): a division's report for a period, generated from the data and kept as
-- generated (JSON and its hash), signed off by its leader, sent to the level above, received or returned with comments;
-- a report the level above requests carries its deadline (an assignment on the one clock).

CREATE TABLE "StageReports" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "FromOn" date NOT NULL,
    "ToOn" date NOT NULL,
    "Title" character varying(200) NOT NULL,
    "Narrative" character varying(20000) NOT NULL,
    "State" integer NOT NULL,
    "ContentJson" text NOT NULL,
    "ContentHash" character varying(64) NOT NULL,
    "Version" integer NOT NULL,
    "GeneratedUtc" timestamp with time zone,
    "RequestedByDivision" character varying(24),
    "DueOn" date,
    "AssignmentId" uuid,
    "CreatedById" uuid,
    "CreatedByName" character varying(100) NOT NULL,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "GeneratedById" uuid,
    "SignedById" uuid,
    "SignedByName" character varying(100),
    "SignedUtc" timestamp with time zone,
    "SentByName" character varying(100),
    "SentUtc" timestamp with time zone,
    "ReceivedByName" character varying(100),
    "ReceivedUtc" timestamp with time zone,
    "ReturnComment" character varying(2000),
    "ReturnedByName" character varying(100),
    "ReturnedUtc" timestamp with time zone,
    "ClientId" uuid,
    CONSTRAINT "PK_StageReports" PRIMARY KEY ("Id")
);

CREATE INDEX "IX_StageReports_DivisionCode_ToOn" ON "StageReports" ("DivisionCode", "ToOn");

CREATE UNIQUE INDEX "IX_StageReports_ClientId" ON "StageReports" ("ClientId");
