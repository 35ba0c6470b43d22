/** The cookie holding the org last chosen in the switcher (see current-org.ts). */
export const CURRENT_ORG_COOKIE = "aihub_org";
