-- 0006: import sessions (an uploaded ledger waiting for its mapping to be checked and the import confirmed).
-- Generated with 'mineguard schema script --new'; numbered 0006 as assigned to the import branch (0003-0005 are other branches').

CREATE TABLE "ImportSessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ImportSessions" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "CountyCode" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "FileId" TEXT NULL,
    "FileName" TEXT NOT NULL,
    "LayoutJson" TEXT NOT NULL,
    "PreviewJson" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "BatchId" TEXT NULL,
    "CreatedById" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_ImportSessions_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT,
    CONSTRAINT "FK_ImportSessions_ImportBatches_BatchId" FOREIGN KEY ("BatchId") REFERENCES "ImportBatches" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_ImportSessions_StoredFiles_FileId" FOREIGN KEY ("FileId") REFERENCES "StoredFiles" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_ImportSessions_BatchId" ON "ImportSessions" ("BatchId");

CREATE INDEX "IX_ImportSessions_DivisionCode_Status_CreatedUtc" ON "ImportSessions" ("DivisionCode", "Status", "CreatedUtc");

CREATE INDEX "IX_ImportSessions_FileId" ON "ImportSessions" ("FileId");
