import { LINE_BREAKING_CHARACTERS } from "../../schemas/common.js";

const ALL_LINE_BREAKING = new RegExp(LINE_BREAKING_CHARACTERS.source, "gu");

/**
 * Text someone typed (an organization's or a person's name), made safe to place inside a line
 * of an email: one line, no control characters, bounded. Inputs refuse such characters already;
 * this also covers rows written before they did, and names that come from OAuth providers.
 */
export function inlineText(text: string, maxLength = 120): string {
  const line = text.normalize("NFC").replace(ALL_LINE_BREAKING, " ").replace(/\s+/g, " ").trim();
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}

/** Someone's text quoted for a subject or sentence, so it reads as a name, not as our words. */
export function quoted(text: string): string {
  return `“${inlineText(text, 80)}”`;
}
