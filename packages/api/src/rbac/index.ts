// The permission module, shared by the server and the console. Browser-safe: nothing here
// imports the database, the server or Node's built-ins.
export * from "./access.js";
export * from "./permissions.js";
export * from "./roles.js";
