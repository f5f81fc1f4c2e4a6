-- 0060 (issue 21): the copy rule looks for other members' track chunks of the same hours (LastUtc >= a track's first
-- fix, FirstUtc <= its last) on every judgement of a patrol; without an index that read every chunk ever stored.
CREATE INDEX "IX_TrackChunks_LastUtc_FirstUtc" ON "TrackChunks" ("LastUtc", "FirstUtc");
