-- 0038 (issue 20): explosives and sodium cyanide as a closed loop (民爆物品、氰化钠闭环): holders (licensed mines, blasting
-- companies, gold plants) with their permits, the movements of the loop (purchase, transport, receipt, issue, use,
-- return, destruction, stock count; the source's event id as key), the detonator codes each movement moved, and the
-- gaps found (one per holder, kind and key).

CREATE TABLE "ExplosiveHolders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ExplosiveHolders" PRIMARY KEY,
    "DivisionCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "MineId" TEXT NULL,
    "PermittedAreaCode" TEXT NOT NULL,
    "MonthlyNeedKg" REAL NULL,
    "ClientId" TEXT NULL,
    "CreatedById" TEXT NULL,
    "CreatedUtc" TEXT NOT NULL,
    CONSTRAINT "FK_ExplosiveHolders_LicensedMines_MineId" FOREIGN KEY ("MineId") REFERENCES "LicensedMines" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ExplosiveGaps" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ExplosiveGaps" PRIMARY KEY,
    "HolderId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "Material" TEXT NULL,
    "Expected" REAL NULL,
    "Actual" REAL NULL,
    "Records" TEXT NOT NULL,
    "Detail" TEXT NOT NULL,
    "FoundUtc" TEXT NOT NULL,
    "ClueId" TEXT NULL,
    CONSTRAINT "FK_ExplosiveGaps_ExplosiveHolders_HolderId" FOREIGN KEY ("HolderId") REFERENCES "ExplosiveHolders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ExplosiveMovements" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ExplosiveMovements" PRIMARY KEY,
    "HolderId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Material" TEXT NOT NULL,
    "Quantity" REAL NOT NULL,
    "Utc" TEXT NOT NULL,
    "ArrivalUtc" TEXT NULL,
    "RouteHours" REAL NULL,
    "Vehicle" TEXT NULL,
    "Route" TEXT NULL,
    "SiteDivisionCode" TEXT NULL,
    "Site" TEXT NULL,
    "ShotFirer" TEXT NULL,
    "Crew" TEXT NULL,
    "PermitNumber" TEXT NULL,
    "PayloadHash" TEXT NOT NULL,
    "StoredUtc" TEXT NOT NULL,
    CONSTRAINT "FK_ExplosiveMovements_ExplosiveHolders_HolderId" FOREIGN KEY ("HolderId") REFERENCES "ExplosiveHolders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ExplosivePermits" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ExplosivePermits" PRIMARY KEY,
    "HolderId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "ValidFrom" TEXT NOT NULL,
    "ValidTo" TEXT NOT NULL,
    "Authority" TEXT NOT NULL,
    CONSTRAINT "FK_ExplosivePermits_ExplosiveHolders_HolderId" FOREIGN KEY ("HolderId") REFERENCES "ExplosiveHolders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ExplosiveDetonators" (
    "MovementId" TEXT NOT NULL,
    "Code" TEXT NOT NULL,
    "HolderId" TEXT NOT NULL,
    "DivisionCode" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Utc" TEXT NOT NULL,
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
