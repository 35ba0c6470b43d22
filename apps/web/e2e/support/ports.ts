/** Ports of the browser tests' servers (playwright.config.ts starts them; specs talk to some directly). */
export const E2E_PORTS = {
  postgres: 3100,
  postgresGateway: 4100,
  embedded: 3101,
  embeddedGateway: 4101,
  /** The mail capture's SMTP listener (SMTP_URL of the console under test) and its HTTP reader. */
  mailSmtp: 3125,
  mailHttp: 3126,
} as const;

export const MAIL_CAPTURE_URL = `http://127.0.0.1:${E2E_PORTS.mailHttp}`;
