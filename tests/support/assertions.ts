import { strict as assert } from "assert";

/** Awaits `p`, asserts that it rejects with a message matching `re`, and returns the error. */
export async function rejects(p: Promise<unknown>, re: RegExp): Promise<Error> {
    try {
        await p;
    } catch (e) {
        assert.match((e as Error).message, re);
        return e as Error;
    }
    assert.fail(`expected a rejection matching ${re}`);
}

/**
 * Whether an emulator action only reads (Describe…, Query…, List…, Show…, Get…, a session's LogIn…): what a preview may
 * call, to look a backupSelector's backup up for the plan's "as of preview".
 */
export function isReadOnlyAction(action: string): boolean {
    return /^(Describe|describe|Query|List|Show|Get|LogIn)/.test(action);
}
