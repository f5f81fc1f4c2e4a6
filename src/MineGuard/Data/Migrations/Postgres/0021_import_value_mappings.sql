-- 0021 (issue 13): the ledger's words. A county's own word in an enumeration column of a ledger (封堵情况 “砌墙封死”)
-- mapped once to the product's value (已封堵) and remembered, so that next month's ledger with the same words asks nothing.

CREATE TABLE "ImportValueMappings" (
    "Id" uuid NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "CountyCode" character varying(24) NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Field" character varying(40) NOT NULL,
    "Value" character varying(200) NOT NULL,
    "Known" character varying(40) NOT NULL,
    "CreatedById" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    "UpdatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ImportValueMappings" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ImportValueMappings_Divisions_DivisionCode" FOREIGN KEY ("DivisionCode") REFERENCES "Divisions" ("Code") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_ImportValueMappings_CountyCode_Kind_Field_Value" ON "ImportValueMappings" ("CountyCode", "Kind", "Field", "Value");

CREATE INDEX "IX_ImportValueMappings_DivisionCode" ON "ImportValueMappings" ("DivisionCode");
