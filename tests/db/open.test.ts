// Opening databases by URL: schemes, bad URLs, and --wait for a database that starts late.

import { createConnection, createServer, type Server } from "node:net";
import { afterEach, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import { openDriver } from "../../src/db/open.js";
import { describeTarget } from "../../src/db/target.js";
import { BACKENDS, describeBackend } from "../servers.js";

const open = (url: string, waitSeconds = 0) => openDriver({ url, waitSeconds, applicationName: "retort tests", notice: () => undefined });

it("picks the driver by scheme and refuses others with the fix", () => {
  expect(describeTarget("postgres://u@h/d").scheme).toBe("postgresql");
  expect(describeTarget("postgresql://u@h/d").scheme).toBe("postgresql");
  expect(describeTarget("host=h user=u dbname=d").scheme).toBe("postgresql");
  expect(describeTarget("mysql://u@h/d").scheme).toBe("mysql");
  expect(describeTarget("mariadb://u@h/d").scheme).toBe("mysql");
  expect(describeTarget("pglite://memory").scheme).toBe("pglite");
  expect(() => describeTarget("sqlite://x.db")).toThrow(/Unsupported database URL scheme 'sqlite:'.*use postgresql:\/\/ \(or postgres:\/\/\), mysql:\/\//);
  expect(() => describeTarget("not a url")).toThrow(/The database URL is not a URL or a keyword string: expected postgresql:\/\//);
});

it("never repeats a password, even in a URL it cannot parse", () => {
  expect(describeTarget("postgresql://ci:hunter2@db:5432/app").display).toBe("postgresql://ci:***@db:5432/app");
  for (const bad of ["postgresql://ci:hunter2@db:bad port/app", "postgresql://ci:hun/ter2@db/app", "hunter2", "sqlite://ci:hunter2@x"]) {
    let error: unknown;
    try {
      describeTarget(bad);
    } catch (e) {
      error = e;
    }
    expect(error, bad).toBeInstanceOf(RetortError);
    expect((error as RetortError).code).toBe("usage");
    expect((error as Error).message).not.toMatch(/hunter2|hun\/ter2|ter2/);
  }
});

it("no URL under CI is refused before anything is opened; without CI it is the embedded default", async () => {
  const notices: string[] = [];
  const error = await openDriver({ url: null, ci: "GITLAB_CI", waitSeconds: 5, applicationName: "t", notice: (l) => notices.push(l) }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RetortError);
  expect((error as RetortError).code).toBe("usage");
  expect((error as Error).message).toMatch(/^No database URL, and GITLAB_CI is set \(a CI run\): set DATABASE_URL or RETORT_DATABASE_URL .* --database-url pglite:\/\/PATH/);
  expect(notices).toEqual([]);
});

it("without --wait a refused connection fails at once, naming host and port", async () => {
  const started = Date.now();
  await expect(open("postgresql://postgres@127.0.0.1:1/postgres")).rejects.toThrow(
    "Cannot connect to 127.0.0.1:1: connection refused. Is the database running? (--wait SECONDS waits for it)",
  );
  expect(Date.now() - started).toBeLessThan(1500);
});

it("--wait keeps trying until its time is up", async () => {
  const started = Date.now();
  await expect(open("postgresql://postgres@127.0.0.1:1/postgres", 1)).rejects.toThrow(/connection refused/);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
});

const pg = BACKENDS.find((b) => b.name === "postgresql")!;
describeBackend(pg, "--wait", () => {
  let proxy: Server | null = null;
  afterEach(() => {
    proxy?.close();
    proxy = null;
  });

  it("connects once a database that starts late accepts connections", async () => {
    // Reserve a free port, release it, and open a proxy to PostgreSQL there a second later.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    setTimeout(() => {
      proxy = createServer((client) => {
        const upstream = createConnection(5432, "127.0.0.1");
        client.pipe(upstream).pipe(client);
        client.on("error", () => upstream.destroy());
        upstream.on("error", () => client.destroy());
      }).listen(port, "127.0.0.1");
    }, 1000);
    const started = Date.now();
    const driver = await open(`postgresql://postgres@127.0.0.1:${port}/postgres`, 10);
    try {
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect((await driver.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await driver.close();
    }
  });
});
