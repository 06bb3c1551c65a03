// The CLI reads argv and the environment once (cli/inputs.ts), parses each database URL it was
// given once, and passes that parse on; makeOptions' defaults are the settings table's.

import { describe, expect, it } from "vitest";
import { optionsOf, readCliInputs, targetOf } from "../../src/cli/inputs.js";
import { connectionTarget, makeOptions } from "../../src/options.js";
import { SETTINGS } from "../../src/settings.js";

describe("readCliInputs", () => {
  it("reads what the environment says once: CI, libpq variables, DATABASE_URL, RETORT_TARGET (empty is unset)", () => {
    const inputs = readCliInputs([], { GITLAB_CI: "true", PGUSER: "ci", PGHOST: "", DATABASE_URL: "postgresql://db/app", RETORT_TARGET: "" }, "1.2.3");
    expect(inputs).toMatchObject({ ci: "GITLAB_CI", databaseEnv: { PGUSER: "ci" }, fallbackUrl: "postgresql://db/app", target: undefined });
    expect(inputs.identity.retortVersion).toBe("1.2.3");
    expect(targetOf(undefined, inputs)).toBe("head");
    expect(targetOf(undefined, readCliInputs([], { RETORT_TARGET: "ae10" }, "1"))).toBe("ae10");
    expect(targetOf("base", readCliInputs([], { RETORT_TARGET: "ae10" }, "1"))).toBe("base");
  });

  it("knows every secret given before anything runs: the flag, both variables, secret-shaped words, PGPASSWORD", () => {
    const inputs = readCliInputs(
      ["upgrade", "--database-url", "postgresql://u:flagpw@db/app", "mysql://u:strayword@db/x"],
      { RETORT_DATABASE_URL: "postgresql://u:retortpw@db/app", DATABASE_URL: "host=db password=envpw", PGPASSWORD: "pgpw" },
      "1",
    );
    for (const secret of ["flagpw", "strayword", "retortpw", "envpw", "pgpw"]) expect(inputs.secrets).toContain(secret);
    // An unusable URL's secrets are known too, and its error waits for a command that needs it.
    const bad = readCliInputs([], { DATABASE_URL: "ftp://u:ftppw@h/x" }, "1");
    expect(bad.secrets).toContain("ftppw");
    const options = optionsOf({}, bad);
    expect(() => connectionTarget(options)).toThrow(/Unsupported database URL scheme 'ftp:'/);
  });

  it("the URL the options use is the parse made at the start, not a second one", () => {
    const url = "postgresql://u:pw@db:5432/app";
    const inputs = readCliInputs(["current", "--database-url", url], {}, "1");
    const options = optionsOf({ databaseUrl: url }, inputs);
    expect(options.connection).toBe(inputs.urls.get(url));
    expect(connectionTarget(options)).toMatchObject({ scheme: "postgresql", host: "db", port: 5432, display: "postgresql://u:***@db:5432/app" });
    // --database-url, else RETORT_DATABASE_URL (commander's), else DATABASE_URL.
    expect(optionsOf({}, readCliInputs([], { DATABASE_URL: url }, "1")).databaseUrl).toBe(url);
  });
});

describe("makeOptions", () => {
  it("gives what is not set the settings table's defaults", () => {
    const o = makeOptions({});
    expect(o).toMatchObject({
      migrations: SETTINGS.migrations.default,
      alembicCommand: [SETTINGS.alembicCommand.default],
      alembicEnv: [],
      alembicConfig: null,
      dialect: SETTINGS.dialect.default,
      versionTable: { table: SETTINGS.versionTable.default, schema: null },
      historyTable: SETTINGS.historyTable.default,
      lockTimeoutSeconds: Number(SETTINGS.lockTimeout.default),
      onDrift: SETTINGS.onDrift.default,
      transaction: SETTINGS.transaction.default,
      waitSeconds: 0,
      databaseUrl: null,
      connection: null,
      secrets: [],
    });
    expect(makeOptions({ wait: true }).waitSeconds).toBe(30);
  });
});
