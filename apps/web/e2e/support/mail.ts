import { expect } from "@playwright/test";
import { MAIL_CAPTURE_URL } from "./ports";

export interface CapturedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  receivedAt: string;
}

/** Messages the console sent to `email` (newest first), as the capture SMTP server received them. */
export async function mailTo(email: string): Promise<CapturedMail[]> {
  const response = await fetch(`${MAIL_CAPTURE_URL}/messages?to=${encodeURIComponent(email)}`);
  if (!response.ok) throw new Error(`mail capture answered ${response.status}`);
  return (await response.json()) as CapturedMail[];
}

function linkIn(messages: CapturedMail[], path: string): string | null {
  for (const { text } of messages) {
    for (const candidate of text.match(/https?:\/\/\S+/g) ?? []) {
      const url = new URL(candidate);
      if (url.pathname === path) return `${url.pathname}${url.search}`;
    }
  }
  return null;
}

/**
 * The newest link to `path` mailed to `email`, waiting for the outbox to deliver it (it runs
 * every few seconds). Links carry the console's configured public URL, which need not be this
 * server's: only the path and query are kept, and the page opens them on the test's baseURL.
 */
export async function mailedLink(email: string, path: string): Promise<string> {
  let link: string | null = null;
  await expect
    .poll(
      async () => {
        link = linkIn(await mailTo(email), path);
        return link;
      },
      { message: `a ${path} link mailed to ${email}`, timeout: 20_000, intervals: [250, 500, 1000] },
    )
    .not.toBeNull();
  return link as unknown as string;
}
