import { type ColumnDef, DataTable, type DataTableLabels } from "@aihub/ui";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { NuqsTestingAdapter, type UrlUpdateEvent } from "nuqs/adapters/testing";
import { describe, expect, it, vi } from "vitest";

// The kit's table: sorting, paging, column visibility and the empty/loading states, with the
// view kept in the URL (nuqs' testing adapter stands in for the router).

interface Row {
  id: string;
  name: string;
  calls: number;
}

const rows: Row[] = ["delta", "alpha", "echo", "charlie", "bravo"].map((name, i) => ({ id: String(i), name, calls: (i * 7) % 5 }));
const columns: ColumnDef<Row, unknown>[] = [
  { id: "name", accessorKey: "name", header: "Name", meta: { label: "Name" }, enableHiding: false },
  { id: "calls", accessorKey: "calls", header: "Calls", meta: { label: "Calls" } },
];
const labels: DataTableLabels = {
  loading: "Loading…",
  previous: "Previous",
  next: "Next",
  page: (page, pages) => `Page ${page} of ${pages}`,
  columns: "Columns",
  sortBy: (column) => `Sort by ${column}`,
};

function renderTable(props: Partial<Parameters<typeof DataTable<Row>>[0]> = {}, searchParams = "") {
  const onUrlUpdate = vi.fn<(event: UrlUpdateEvent) => void>();
  const view = render(
    <NuqsTestingAdapter searchParams={searchParams} onUrlUpdate={onUrlUpdate} hasMemory>
      <DataTable columns={columns} data={rows} labels={labels} caption="Things" getRowId={(r) => r.id} rowTestId="row" {...props} />
    </NuqsTestingAdapter>,
  );
  return { ...view, onUrlUpdate };
}

const names = () => screen.queryAllByTestId("row").map((row) => within(row).getAllByRole("cell")[0]?.textContent);

describe("DataTable", () => {
  it("shows rows in the given order until a header is clicked, then sorts ascending, then descending, and says so in the URL", async () => {
    const user = userEvent.setup();
    const { onUrlUpdate } = renderTable();
    expect(names()).toEqual(["delta", "alpha", "echo", "charlie", "bravo"]);

    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(names()).toEqual(["alpha", "bravo", "charlie", "delta", "echo"]);
    expect(screen.getByRole("columnheader", { name: /Name/ })).toHaveProperty("ariaSort", "ascending");
    expect(onUrlUpdate.mock.lastCall?.[0].queryString).toBe("?sort=name.asc");

    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(names()).toEqual(["echo", "delta", "charlie", "bravo", "alpha"]);
    expect(onUrlUpdate.mock.lastCall?.[0].queryString).toBe("?sort=name.desc");
  });

  it("starts from the sort and page in the URL (a shared link opens the same view)", () => {
    renderTable({ pageSize: 2 }, "?sort=name.desc&page=2");
    expect(names()).toEqual(["charlie", "bravo"]);
    expect(screen.getByTestId("table-page").textContent).toBe("Page 2 of 3");
  });

  it("pages forward and back, with the buttons disabled at the ends", async () => {
    const user = userEvent.setup();
    const { onUrlUpdate } = renderTable({ pageSize: 2 });
    expect(names()).toEqual(["delta", "alpha"]);
    expect(screen.getByTestId("table-previous")).toHaveProperty("disabled", true);

    await user.click(screen.getByTestId("table-next"));
    await user.click(screen.getByTestId("table-next"));
    expect(names()).toEqual(["bravo"]);
    expect(screen.getByTestId("table-page").textContent).toBe("Page 3 of 3");
    expect(screen.getByTestId("table-next")).toHaveProperty("disabled", true);
    expect(onUrlUpdate.mock.lastCall?.[0].searchParams.get("page")).toBe("3");

    await user.click(screen.getByTestId("table-previous"));
    expect(names()).toEqual(["echo", "charlie"]);
  });

  it("sorting goes back to the first page", async () => {
    const user = userEvent.setup();
    renderTable({ pageSize: 2 }, "?page=3");
    expect(names()).toEqual(["bravo"]);
    await user.click(screen.getByRole("button", { name: "Calls" }));
    expect(screen.getByTestId("table-page").textContent).toBe("Page 1 of 3");
  });

  it("a page beyond the end (an old link) shows the last page", () => {
    renderTable({ pageSize: 2 }, "?page=9");
    expect(names()).toEqual(["bravo"]);
  });

  it("shows the empty state instead of a table when there are no rows, and no pager", () => {
    renderTable({ data: [], empty: <p data-testid="empty">Nothing here</p> });
    expect(screen.getByTestId("empty").textContent).toBe("Nothing here");
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.queryByTestId("table-next")).toBeNull();
  });

  it("while loading shows a busy table with a status, not the empty state", () => {
    renderTable({ data: [], loading: true, empty: <p data-testid="empty">Nothing here</p> });
    expect(screen.queryByTestId("empty")).toBeNull();
    expect(screen.getByRole("table").getAttribute("aria-busy")).toBe("true");
    expect(screen.getByRole("status").textContent).toContain("Loading…");
    expect(screen.queryAllByTestId("row")).toHaveLength(0);
  });

  it("hides a column named in the URL and keeps the ones that can't be hidden", () => {
    renderTable({}, "?hide=calls");
    expect(screen.getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["Name"]);
  });

  it("uses its own URL keys with a prefix, so two tables on a page don't share a view", async () => {
    const user = userEvent.setup();
    const { onUrlUpdate } = renderTable({ urlPrefix: "keys_" });
    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(onUrlUpdate.mock.lastCall?.[0].queryString).toBe("?keys_sort=name.asc");
  });
});
