-- 0027 (issue 16): electricity meter readings as a time series, one row per meter and time (interval kWh or the
-- register), fed by ingestion (meter.readings) and by the power company's upload. Declaratively partitioned by month
-- on "Utc" (the key includes it, as PostgreSQL requires); B-tree (device, time) is the key, BRIN on time for day scans.
-- Partitions 2025-01 … 2027-12 are made here; the code (MeterReadings.EnsurePartitionsAsync) makes any other month
-- before the first reading in it is stored. No default partition: it would block creating a month later.

CREATE TABLE "MeterReadings" (
    "DeviceId" uuid NOT NULL,
    "Utc" timestamp with time zone NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kwh" double precision NOT NULL,
    "Kind" integer NOT NULL,
    "Source" character varying(10) NOT NULL,
    "StoredUtc" timestamp with time zone NOT NULL,
    "ReplacedKwh" double precision,
    CONSTRAINT "PK_MeterReadings" PRIMARY KEY ("DeviceId", "Utc"),
    CONSTRAINT "FK_MeterReadings_Devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "Devices" ("Id") ON DELETE RESTRICT
) PARTITION BY RANGE ("Utc");

CREATE INDEX "IX_MeterReadings_Utc" ON "MeterReadings" USING brin ("Utc");

DO $$
DECLARE m date := date '2025-01-01';
BEGIN
    WHILE m < date '2028-01-01' LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF "MeterReadings" FOR VALUES FROM (%L) TO (%L)',
            'MeterReadings_' || to_char(m, 'YYYY_MM'), m::text || ' 00:00:00+00', (m + interval '1 month')::date::text || ' 00:00:00+00');
        m := (m + interval '1 month')::date;
    END LOOP;
END $$;
