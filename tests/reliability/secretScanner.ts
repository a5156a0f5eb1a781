/**
 * Looks for secrets in collected text, in the forms in which they could leak: as they are, base64 and base64url
 * (found anywhere inside a longer encoded stream, whatever the alignment), URL-encoded (percent and form encoding),
 * hex (lower and upper case) and JSON-escaped.
 */

/** One form of a secret to look for. */
export interface SecretForm {
    form: string;
    text: string;
}

/** A place where a secret was found. Carries no secret text: findings are printed. */
export interface Finding {
    secret: string;
    form: string;
    source: string;
}

/**
 * The base64 characters that depend only on the secret's bytes when it is encoded after `shift` other bytes (0, 1 or
 * 2: every alignment a 3-byte group can have), whatever comes before or after it.
 */
function base64Cores(secret: string, alphabet: "base64" | "base64url"): string[] {
    const bytes = Buffer.from(secret, "utf8");
    const out: string[] = [];
    for (const shift of [0, 1, 2]) {
        const text = Buffer.concat([Buffer.alloc(shift), bytes]).toString(alphabet);
        const first = Math.ceil((8 * shift) / 6);
        const end = Math.floor((8 * (shift + bytes.length)) / 6);
        out.push(text.slice(first, end));
    }
    return out;
}

/** Every form of `secret` the scan looks for. */
export function secretForms(secret: string): SecretForm[] {
    const forms: SecretForm[] = [{ form: "raw", text: secret }];
    base64Cores(secret, "base64").forEach((t, i) => forms.push({ form: `base64 (alignment ${i})`, text: t }));
    base64Cores(secret, "base64url").forEach((t, i) => forms.push({ form: `base64url (alignment ${i})`, text: t }));
    const pct = encodeURIComponent(secret);
    forms.push({ form: "URL-encoded", text: pct });
    forms.push({
        form: "URL-encoded (lower-case escapes)",
        text: pct.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    });
    forms.push({ form: "form-encoded", text: new URLSearchParams({ x: secret }).toString().slice(2) });
    const hex = Buffer.from(secret, "utf8").toString("hex");
    forms.push({ form: "hex", text: hex });
    forms.push({ form: "hex (upper case)", text: hex.toUpperCase() });
    forms.push({ form: "JSON-escaped", text: JSON.stringify(secret).slice(1, -1) });
    // Forms equal to another (a secret without special characters is its own URL encoding) are looked for once.
    const seen = new Set<string>();
    return forms.filter((f) => f.text.length > 0 && !seen.has(f.text) && seen.add(f.text));
}

/** Shortest secret the scan accepts: shorter strings occur by chance and prove nothing. */
export const MIN_SECRET_LENGTH = 12;

/** Scans every text for every form of every secret. */
export function scanForSecrets(texts: { source: string; text: string }[], secrets: Record<string, string>): Finding[] {
    const findings: Finding[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
        if (secret.length < MIN_SECRET_LENGTH)
            throw new Error(`secret ${name} is too short to scan for (${secret.length} characters)`);
        for (const f of secretForms(secret)) {
            for (const t of texts)
                if (t.text.includes(f.text)) findings.push({ secret: name, form: f.form, source: t.source });
        }
    }
    return findings;
}
