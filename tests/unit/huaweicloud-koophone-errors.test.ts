import { strict as assert } from "assert";
import { CloudError } from "../../provider/core/errors";
import { ApiCaller, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import { KOOPHONE_HINTS, KooPhoneClient } from "../../provider/huaweicloud/koophoneClient";
import { VirtualClock } from "../../harness/clock";

/** Answers every request with one KooPhone error body. */
class ErrorTransport implements Transport {
    constructor(
        private readonly status: number,
        private readonly code: string,
    ) {}
    async send(_req: HttpRequest): Promise<HttpResponse> {
        return {
            status: this.status,
            headers: { "x-request-id": "req-1" },
            body: JSON.stringify({ error_code: this.code, error_msg: "emulated" }),
        };
    }
}

async function errorFor(status: number, code: string): Promise<CloudError> {
    const clock = new VirtualClock();
    const caller = new ApiCaller({
        transport: new ErrorTransport(status, code),
        clock,
        backoff: { baseDelayMs: 1, capDelayMs: 1, maxAttempts: 2 },
    });
    const client = new KooPhoneClient({
        endpoint: "https://koophone.example.com",
        auth: () => ({ kind: "aksk", accessKey: "AK", secretKey: "SK" }),
        caller,
        tokens: () => {
            throw new Error("not used with AK/SK");
        },
    });
    try {
        await client.batchBackup(["i-1"]);
    } catch (e) {
        assert.ok(e instanceof CloudError, String(e));
        return e;
    }
    throw new Error("expected an error");
}

describe("huaweicloud KooPhone error hints", () => {
    it("match the code whatever its case: the vendor writes KOOPHONE.API.1001 and KooPhone.API.1001", async () => {
        for (const code of ["KOOPHONE.API.1001", "KooPhone.API.1001", "koophone.api.1001"]) {
            const e = await errorFor(403, code);
            assert.equal(e.code, code, "the code is reported as the server sent it");
            assert.equal(e.hint, KOOPHONE_HINTS["KOOPHONE.API.1001"], code);
        }
        assert.equal((await errorFor(400, "KooPhone.API.1002")).hint, KOOPHONE_HINTS["KOOPHONE.API.1002"]);
    });

    it("treat KooPhone.API.9999 (internal error) as retryable in either case", async () => {
        assert.equal((await errorFor(400, "KooPhone.API.9999")).retryable, true);
        assert.equal((await errorFor(400, "KOOPHONE.API.1000")).retryable, false);
    });
});
