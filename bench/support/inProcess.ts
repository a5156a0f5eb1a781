import { HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import { emuRequest } from "../../emulator/core/server";
import { CloudService } from "../../emulator/core/types";

/**
 * A {@link Transport} that hands each signed request straight to an emulated cloud service in this process: no
 * socket, so a run on a virtual clock costs only CPU. The service verifies signatures exactly as over HTTP.
 */
export class InProcessTransport implements Transport {
    /** Every action sent, in order. */
    readonly actions: string[] = [];

    constructor(private readonly service: CloudService) {}

    async send(req: HttpRequest, _timeoutMs: number): Promise<HttpResponse> {
        const url = new URL(req.url);
        const headers: Record<string, string> = { host: url.host };
        for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
        const er = emuRequest(req.method, `${url.pathname}${url.search}`, headers, req.body ?? "");
        this.actions.push(this.service.actionOf(er));
        const out = await this.service.handle(er);
        const resHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(out.headers ?? {})) resHeaders[k.toLowerCase()] = v;
        return {
            status: out.status,
            headers: resHeaders,
            body: typeof out.body === "string" ? out.body : JSON.stringify(out.body),
        };
    }
}
