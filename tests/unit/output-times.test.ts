import { strict as assert } from "assert";
import { starRocksRecord } from "../../provider/alicloud/starrocksBackups";
import { isoTime } from "../../provider/core/backupSelection";
import { diffProps, fromState } from "../../provider/core/resource";
import { utcIso, utcIsoOrUndefined } from "../../provider/core/time";
import { vendorTimeText } from "../../provider/huaweicloud/koophoneState";
import { rdsRecord } from "../../provider/jdcloud/rdsBackups";
import { RdsRestoreProvider, parseCreateTime } from "../../provider/jdcloud/rdsProvider";
import { redisRecord } from "../../provider/tencentcloud/redisBackups";
import { parseZStackDate } from "../../provider/zstack/vmBackups";

/**
 * One time zone in outputs: every time a resource outputs is ISO 8601 in UTC to the second (`2026-11-23T04:00:00Z`),
 * whatever each cloud answers (provider/core/time.ts); state written in the old forms keeps loading without a diff.
 */
const UTC_SECOND = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const NOON_BEIJING = "2026-11-23T04:00:00Z";

describe("output times: UTC ISO 8601 to the second, whatever the vendor's format", () => {
    it("core: epoch ms → 2026-11-23T04:00:00Z (milliseconds dropped); unreadable → '' / undefined", () => {
        assert.equal(utcIso(Date.UTC(2026, 10, 23, 4, 0, 0)), NOON_BEIJING);
        assert.equal(utcIso(Date.UTC(2026, 10, 23, 4, 0, 0, 999)), NOON_BEIJING);
        assert.equal(isoTime(Date.UTC(2026, 10, 23, 4, 0, 0)), NOON_BEIJING, "selectedBackupTime and lookups");
        assert.equal(utcIso(NaN), "");
        assert.equal(utcIsoOrUndefined(undefined), undefined);
        assert.equal(utcIsoOrUndefined(NaN), undefined);
    });

    it("Alibaba Cloud StarRocks: BackupFinishedTime in epoch ms", () => {
        const r = starRocksRecord({
            BackupTaskId: "bk-1",
            Status: "Finished",
            BackupFinishedTime: Date.UTC(2026, 10, 23, 4, 0, 0, 123),
        } as Parameters<typeof starRocksRecord>[0]);
        assert.equal(isoTime(r.time), NOON_BEIJING);
    });

    it("JD Cloud: `YYYY-MM-DD HH:mm:ss` in UTC+8 (backups and createTime); zoned ISO text as given", () => {
        const r = rdsRecord({
            backupId: "b-1",
            backupEndTime: "2026-11-23 12:00:00",
            backupStatus: "COMPLETED",
        } as Parameters<typeof rdsRecord>[0]);
        assert.equal(isoTime(r.time), NOON_BEIJING);
        assert.equal(utcIso(parseCreateTime("2026-11-23 12:00:00")), NOON_BEIJING);
        assert.equal(utcIso(parseCreateTime("2026-11-23T12:00:00+08:00")), NOON_BEIJING);
        assert.equal(utcIso(parseCreateTime("2026-11-23T04:00:00Z")), NOON_BEIJING);
    });

    it("Tencent Cloud Redis: Beijing time without a zone", () => {
        const r = redisRecord({ BackupId: "b-1", EndTime: "2026-11-23 12:00:00", Status: 2 });
        assert.equal(isoTime(r.time), NOON_BEIJING);
    });

    it("ZStack: dates read as given (ISO with a zone here; Java dates in the machine's zone, documented)", () => {
        assert.equal(utcIso(parseZStackDate("2026-11-23T12:00:00+08:00")), NOON_BEIJING);
        assert.match(utcIso(parseZStackDate("Nov 23, 2026 12:00:00 PM")), UTC_SECOND);
    });

    it("Huawei Cloud KooPhone: epoch seconds, epoch ms and ISO text", () => {
        const s = Date.UTC(2026, 10, 23, 4, 0, 0) / 1000;
        assert.equal(vendorTimeText(s), NOON_BEIJING);
        assert.equal(vendorTimeText(s * 1000), NOON_BEIJING);
        assert.equal(vendorTimeText("2026-11-23T12:00:00+08:00"), NOON_BEIJING);
    });

    it("old state in the old forms (with milliseconds, JD's local text) diffs as unchanged: outputs are not compared", async () => {
        const inputs = { backupId: "b-1", instanceSpec: { instanceName: "db", instanceClass: "c1" } };
        const olds = {
            ...inputs,
            instanceStatus: "RUNNING",
            createTime: "2026-11-23 12:00:00",
            selectedBackupTime: "2026-11-23T04:00:00.000Z",
        };
        const d = await new RdsRestoreProvider({ env: {} }, {}).diff("mysql-1", fromState(olds), fromState(inputs));
        assert.equal(d.changes, false, JSON.stringify(d));
        assert.deepEqual(d.replaces ?? [], []);
        const generic = diffProps(
            { backupTaskId: "bk-1", selectedBackupTime: "2026-11-23T04:00:00.000Z", restoredAt: "2026-11-23 12:00:00" },
            { backupTaskId: "bk-1" },
            { replace: ["backupTaskId"], update: [] },
        );
        assert.equal(generic.changes, false);
    });
});
