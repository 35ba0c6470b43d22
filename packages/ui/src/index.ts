// The console's UI kit: Radix primitives wrapped in the project's look (Tailwind CSS v4 tokens in
// styles.css), consumed as TypeScript source by the web app.
export * from "./components/alert-dialog";
export * from "./components/badge";
export * from "./components/button";
export * from "./components/card";
export * from "./components/chart";
export * from "./components/checkbox";
export * from "./components/combobox";
export * from "./components/copy-button";
export * from "./components/data-table";
export * from "./components/dialog";
export * from "./components/dropdown-menu";
export * from "./components/empty-state";
export * from "./components/form";
export * from "./components/input";
export * from "./components/label";
export * from "./components/popover";
export * from "./components/select";
export * from "./components/sheet";
export * from "./components/skeleton";
export * from "./components/tabs";
export * from "./components/theme-toggle";
export * from "./components/toaster";
export * from "./components/tooltip";
export { cn } from "./lib/cn";
