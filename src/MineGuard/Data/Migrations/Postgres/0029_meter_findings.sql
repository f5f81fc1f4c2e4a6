-- 0029 (issue 16): stored findings of the electricity detector (电表异常): one row per meter, kind and window start, with
-- its score, Chinese explanation, status (open / routed / explained), the clue it became and the declared explanation
-- (note, extra kW or any, window, who/when) that the detector takes back into the meter's expectation.

CREATE TABLE "MeterFindings" (
    "Id" uuid NOT NULL,
    "DeviceId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "AditId" uuid,
    "MineId" uuid,
    "Lon" double precision,
    "Lat" double precision,
    "Kind" character varying(20) NOT NULL,
    "StartUtc" timestamp with time zone NOT NULL,
    "EndUtc" timestamp with time zone NOT NULL,
    "Score" double precision NOT NULL,
    "Explanation" character varying(1000) NOT NULL,
    "Status" character varying(12) NOT NULL,
    "ClueId" uuid,
    "ExplanationNote" character varying(500),
    "ExplainedKw" double precision,
    "ExplainedFromUtc" timestamp with time zone,
    "ExplainedToUtc" timestamp with time zone,
    "ExplainedById" uuid,
    "ExplainedByName" character varying(100),
    "ExplainedUtc" timestamp with time zone,
    "FoundUtc" timestamp with time zone NOT NULL,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_MeterFindings" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_MeterFindings_Devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "Devices" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_MeterFindings_DeviceId_Kind_StartUtc" ON "MeterFindings" ("DeviceId", "Kind", "StartUtc");

CREATE INDEX "IX_MeterFindings_DivisionCode_StartUtc" ON "MeterFindings" ("DivisionCode", "StartUtc");
