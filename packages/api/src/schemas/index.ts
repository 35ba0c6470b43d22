// Input schemas shared by the server, the typed client and the console's forms. Browser-safe:
// nothing here imports the database or the server.

export * from "./account.js";
export * from "./alert.js";
export * from "./api-key.js";
export * from "./audit.js";
export * from "./budget.js";
export * from "./common.js";
export * from "./error-reasons.js";
export * from "./invitation.js";
export * from "./me.js";
export * from "./member.js";
export * from "./notification.js";
export * from "./organization.js";
export * from "./permission.js";
export * from "./personal-token.js";
export * from "./price.js";
export * from "./provider.js";
export * from "./team.js";
export * from "./usage.js";
