-- 0012: a device can be retired (停用): no longer watched for silence, its e-fence zone no longer counts.

ALTER TABLE "Devices" ADD "RetiredUtc" TEXT NULL;
