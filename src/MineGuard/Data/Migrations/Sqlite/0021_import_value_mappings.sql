-- 0021 (issue 13): the ledger's words. A county's own word in an enumeration column of a ledger (封堵情况 “砌墙封死”)
-- mapped once to the product's value (已封堵) and remembered, so that next month's ledger with the same words asks nothing.

CREATE TABLE "ImportValueMappings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ImportValueMappings" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "CountyCode" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Field" TEXT NOT NULL,
    "Value" TEXT NOT NULL,
    "Known" TEXT NOT NULL,
    "CreatedById" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    "UpdatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_ImportValueMappings_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_ImportValueMappings_CountyCode_Kind_Field_Value" ON "ImportValueMappings" ("CountyCode", "Kind", "Field", "Value");

CREATE INDEX "IX_ImportValueMappings_DivisionCode" ON "ImportValueMappings" ("DivisionCode");
