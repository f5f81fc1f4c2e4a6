-- 0006: import sessions (an uploaded ledger waiting for its mapping to be checked and the import confirmed).
-- Generated with 'mineguard schema script --new'; numbered 0006 as assigned to the import branch (0003-0005 are other branches').

CREATE TABLE "ImportSessions" (
    "Id" uuid NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "CountyCode" character varying(24) NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "FileId" uuid,
    "FileName" character varying(260) NOT NULL,
    "LayoutJson" text NOT NULL,
    "PreviewJson" text NOT NULL,
    "Status" integer NOT NULL,
    "BatchId" uuid,
    "CreatedById" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ImportSessions" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ImportSessions_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT,
    CONSTRAINT "FK_ImportSessions_ImportBatches_BatchId" FOREIGN KEY ("BatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_ImportSessions_StoredFiles_FileId" FOREIGN KEY ("FileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_ImportSessions_BatchId" ON "ImportSessions" ("BatchId");

CREATE INDEX "IX_ImportSessions_DivisionCode_Status_CreatedUtc" ON "ImportSessions" ("DivisionCode", "Status", "CreatedUtc");

CREATE INDEX "IX_ImportSessions_FileId" ON "ImportSessions" ("FileId");
