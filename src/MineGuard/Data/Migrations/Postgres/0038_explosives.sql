-- 0038 (issue 20): explosives and sodium cyanide as a closed loop (民爆物品、氰化钠闭环): holders (licensed mines, blasting
-- companies, gold plants) with their permits, the movements of the loop (purchase, transport, receipt, issue, use,
-- return, destruction, stock count; the source's event id as key), the detonator codes each movement moved, and the
-- gaps found (one per holder, kind and key).

CREATE TABLE "ExplosiveHolders" (
    "Id" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Name" character varying(200) NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "MineId" uuid,
    "PermittedAreaCode" character varying(24) NOT NULL,
    "MonthlyNeedKg" double precision,
    "ClientId" uuid,
    "CreatedById" uuid,
    "CreatedUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ExplosiveHolders" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ExplosiveHolders_LicensedMines_MineId" FOREIGN KEY ("MineId") REFERENCES "LicensedMines" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ExplosiveGaps" (
    "Id" uuid NOT NULL,
    "HolderId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(30) NOT NULL,
    "Key" character varying(100) NOT NULL,
    "Material" character varying(20),
    "Expected" double precision,
    "Actual" double precision,
    "Records" character varying(1000) NOT NULL,
    "Detail" character varying(1000) NOT NULL,
    "FoundUtc" timestamp with time zone NOT NULL,
    "ClueId" uuid,
    CONSTRAINT "PK_ExplosiveGaps" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ExplosiveGaps_ExplosiveHolders_HolderId" FOREIGN KEY ("HolderId") REFERENCES "ExplosiveHolders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ExplosiveMovements" (
    "Id" uuid NOT NULL,
    "HolderId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "Material" character varying(20) NOT NULL,
    "Quantity" double precision NOT NULL,
    "Utc" timestamp with time zone NOT NULL,
    "ArrivalUtc" timestamp with time zone,
    "RouteHours" double precision,
    "Vehicle" character varying(20),
    "Route" character varying(200),
    "SiteDivisionCode" character varying(24),
    "Site" character varying(200),
    "ShotFirer" character varying(50),
    "Crew" character varying(100),
    "PermitNumber" character varying(60),
    "PayloadHash" character varying(64) NOT NULL,
    "StoredUtc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ExplosiveMovements" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ExplosiveMovements_ExplosiveHolders_HolderId" FOREIGN KEY ("HolderId") REFERENCES "ExplosiveHolders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ExplosivePermits" (
    "Id" uuid NOT NULL,
    "HolderId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "Number" character varying(60) NOT NULL,
    "Scope" character varying(500) NOT NULL,
    "ValidFrom" date NOT NULL,
    "ValidTo" date NOT NULL,
    "Authority" character varying(100) NOT NULL,
    CONSTRAINT "PK_ExplosivePermits" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ExplosivePermits_ExplosiveHolders_HolderId" FOREIGN KEY ("HolderId") REFERENCES "ExplosiveHolders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ExplosiveDetonators" (
    "MovementId" uuid NOT NULL,
    "Code" character varying(13) COLLATE "C" NOT NULL,
    "HolderId" uuid NOT NULL,
    "DivisionCode" character varying(24) COLLATE "C" NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "Utc" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ExplosiveDetonators" PRIMARY KEY ("MovementId", "Code"),
    CONSTRAINT "FK_ExplosiveDetonators_ExplosiveMovements_MovementId" FOREIGN KEY ("MovementId") REFERENCES "ExplosiveMovements" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_ExplosiveDetonators_Code_Kind_Utc" ON "ExplosiveDetonators" ("Code", "Kind", "Utc");

CREATE INDEX "IX_ExplosiveGaps_DivisionCode_FoundUtc" ON "ExplosiveGaps" ("DivisionCode", "FoundUtc");

CREATE UNIQUE INDEX "IX_ExplosiveGaps_HolderId_Kind_Key" ON "ExplosiveGaps" ("HolderId", "Kind", "Key");

CREATE UNIQUE INDEX "IX_ExplosiveHolders_ClientId" ON "ExplosiveHolders" ("ClientId");

CREATE INDEX "IX_ExplosiveHolders_DivisionCode" ON "ExplosiveHolders" ("DivisionCode");

CREATE INDEX "IX_ExplosiveHolders_MineId" ON "ExplosiveHolders" ("MineId");

CREATE INDEX "IX_ExplosiveMovements_DivisionCode_Utc" ON "ExplosiveMovements" ("DivisionCode", "Utc");

CREATE INDEX "IX_ExplosiveMovements_HolderId_Material_Utc" ON "ExplosiveMovements" ("HolderId", "Material", "Utc");

CREATE INDEX "IX_ExplosivePermits_HolderId" ON "ExplosivePermits" ("HolderId");
