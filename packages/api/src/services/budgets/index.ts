export { nowOf, type SpendContext } from "./context.js";
export type { UsageSubject } from "./path.js";
export { nextPeriodStart, periodStart } from "./period.js";
export {
  type BudgetCheck,
  checkBudget,
  DEFAULT_RESERVATION_TTL_SECONDS,
  type Reservation,
  type ReserveInput,
  release,
  releaseExpiredReservations,
  reserve,
  type SettleInput,
  type Settlement,
  settle,
} from "./reservations.js";
