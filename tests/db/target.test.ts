// The connection target: where pg and mysql2 would find a secret, the target finds it too; its
// display and its errors never hold one, in any form; the drivers connect where the user meant.

import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import { connectionUrl, describeTarget, scrubSecrets, secretForms, secretsOf, type ServerTarget } from "../../src/db/target.js";
import { prng } from "../prng.js";

const parsePg = createRequire(import.meta.url)("pg-connection-string").parse as (s: string) => Record<string, unknown>;

const S = "Sekr1t-pw";
const server = (text: string, env = {}) => describeTarget(text, env) as ServerTarget;
const failure = (text: string, env = {}): RetortError => {
  try {
    describeTarget(text, env);
  } catch (e) {
    expect(e).toBeInstanceOf(RetortError);
    return e as RetortError;
  }
  throw new Error(`${text} was accepted`);
};
/** No form of `secret` in `text`. */
const hides = (text: string, secret: string) => {
  for (const form of secretForms(secret)) expect(text, `form ${form}`).not.toContain(form);
};

describe("every place a secret can be", () => {
  const cases: { text: string; password: string; host: string; display: string }[] = [
    { text: `postgresql://u:${S}@h/db`, password: S, host: "h", display: "postgresql://u:***@h/db" },
    { text: `postgresql://u@h/db?password=${S}`, password: S, host: "h", display: "postgresql://u:***@h/db" },
    // pg honours the parameter over the userinfo; so does the target.
    { text: `postgresql://u:other-pw@h/db?password=${S}`, password: S, host: "h", display: "postgresql://u:***@h/db" },
    { text: `postgresql:///db?host=h&password=${S}`, password: S, host: "h", display: "postgresql://:***@h/db" },
    { text: `postgres://u:${S}@[::1]:5433/db?sslmode=disable`, password: S, host: "::1", display: "postgres://u:***@[::1]:5433/db?sslmode=disable" },
    { text: `host=h user=u password=${S} dbname=db`, password: S, host: "h", display: "postgresql://u:***@h/db" },
    { text: `host = h  user=u password = '${S}' dbname=db port=6543`, password: S, host: "h", display: "postgresql://u:***@h:6543/db" },
    { text: `mysql://root:${S}@127.0.0.1:3306/db`, password: S, host: "127.0.0.1", display: "mysql://root:***@127.0.0.1:3306/db" },
    { text: `mariadb://root@127.0.0.1/db?password=${S}`, password: S, host: "127.0.0.1", display: "mariadb://root:***@127.0.0.1/db" },
  ];
  for (const c of cases) {
    it(c.text.replace(S, "S"), () => {
      const t = server(c.text);
      expect(t.password).toBe(c.password);
      expect(t.host).toBe(c.host);
      expect(t.display).toBe(c.display);
      hides(t.display, S);
      expect(t.secrets).toContain(S);
    });
  }

  it("connects where pg would have, for every URL pg also reads", () => {
    for (const text of [
      `postgresql://u:${S}@h:5433/db`,
      `postgresql://u@h/db?password=${S}`,
      `postgresql:///db?host=h&password=${S}`,
      `postgresql://x:nope@h/db?password=${S}&user=v`,
      `postgresql://u:p%40ss%3Aw%2Frd%25@h/db`,
    ]) {
      const pg = parsePg(text);
      const t = server(text);
      expect({ host: t.host, user: t.user ?? "", password: t.password, database: t.database, port: t.port }, text).toEqual({
        host: pg.host,
        user: pg.user,
        password: pg.password,
        database: pg.database,
        port: Number(pg.port || 5432),
      });
    }
  });

  it("sslpassword is the key's passphrase: a secret, shown as ***", () => {
    const t = server(`postgresql://u@h/db?sslmode=require&sslkey=/k.pem&sslpassword=${S}`);
    expect(t.tls).toMatchObject({ verify: "verify-full", keyFile: "/k.pem", keyPassword: S });
    expect(t.display).toBe("postgresql://u@h/db?sslmode=require&sslkey=%2Fk.pem&sslpassword=***");
    expect(t.secrets).toContain(S);
    const m = server(`mysql://u@h/db?ssl-mode=REQUIRED&sslpassword=${S}`);
    expect(m.tls).toMatchObject({ verify: "no-verify", keyPassword: S });
    hides(m.display, S);
  });

  it("PGPASSWORD and the other libpq variables fill what a PostgreSQL URL leaves out, never a MySQL one", () => {
    const env = { PGPASSWORD: S, PGUSER: "envuser", PGHOST: "envhost", PGPORT: "6000", PGDATABASE: "envdb" };
    const t = server("postgresql://", env);
    expect({ host: t.host, port: t.port, user: t.user, database: t.database, password: t.password }).toEqual({
      host: "envhost",
      port: 6000,
      user: "envuser",
      database: "envdb",
      password: S,
    });
    expect(t.display).toBe("postgresql://envuser:***@envhost:6000/envdb");
    expect(t.secrets).toContain(S);
    // The URL wins over the environment.
    expect(server("postgresql://u:given@h/db", env).password).toBe("given");
    expect(server("mysql://u@h/db", env).password).toBeNull();
  });

  it("decodes every escape of every part, and lists the secret in each form it may be quoted", () => {
    const t = server("postgresql://us%65r:p%40ss%3Aw%2Frd%25@h/d%2Fb");
    expect(t.user).toBe("user");
    expect(t.password).toBe("p@ss:w/rd%");
    expect(t.database).toBe("d/b");
    for (const form of ["p@ss:w/rd%", "p%40ss%3Aw%2Frd%25", "p%40ss%3aw%2frd%25", JSON.stringify("p@ss:w/rd%").slice(1, -1)]) {
      expect(t.secrets).toContain(form);
    }
    expect(scrubSecrets("pw p%40ss%3Aw%2Frd%25 and p@ss:w/rd% and p%40ss%3aw%2frd%25", t.secrets)).toBe("pw *** and *** and ***");
  });

  it("keyword strings follow libpq's quoting", () => {
    expect(server("password='a b\\'c\\\\d' host=h").password).toBe("a b'c\\d");
    expect(server("password=a\\ b host=h").password).toBe("a b");
    expect(server("password='' host=h").password).toBeNull();
    expect(server("host=h dbname=d sslmode=disable options='-c search_path=x'").settings).toEqual({ options: "-c search_path=x" });
  });

  it("random passwords: percent-encoded, they decode to themselves and never show", () => {
    const random = prng(20261201);
    const alphabet = "abcXYZ019 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~éß€😀";
    const chars = [...alphabet];
    for (let i = 0; i < 300; i++) {
      // Realistic lengths: a one-character password is scrubbed wherever that character is.
      const length = 8 + Math.floor(random() * 16);
      let pw = "";
      for (let j = 0; j < length; j++) pw += chars[Math.floor(random() * chars.length)];
      const scheme = random() < 0.5 ? "postgresql" : "mysql";
      const inQuery = random() < 0.5;
      const text = inQuery
        ? `${scheme}://user@db.example:5432/app?password=${encodeURIComponent(pw)}`
        : `${scheme}://user:${encodeURIComponent(pw)}@db.example:5432/app`;
      const t = server(text);
      expect(t.password, text).toBe(pw);
      expect(t.display).toBe(`${scheme}://user:***@db.example:5432/app`);
      expect(scrubSecrets(`failed: ${text} (${pw}) ${JSON.stringify(pw)}`, t.secrets)).not.toContain(pw);
    }
  });
});

describe("what cannot be used is one usage error that names the fix and quotes no secret", () => {
  const cases: [string, RegExp][] = [
    [`postgresql://u:ab%zz${S}@h/db`, /'%' in the password that does not start a percent-escape: write a literal '%' as %25/],
    [`postgresql://u%zz:${S}@h/db`, /'%' in the user name .* %25/],
    [`postgresql://u:${S}@h/db%g1`, /'%' in the database name .* %25/],
    [`postgresql://u@h/db?password=ab%zz${S}`, /'%' in parameter 'password' .* %25/],
    [`mysql://u:${S}%@h/db`, /'%' in the password .* %25/],
    [`postgresql://u:pa/ss${S}@h/db`, /an '@' after the host: percent-encode '\/' as %2F/],
    [`postgresql://u:pa?ss${S}@h/db`, /port after the host .* not a number .* percent-encode/],
    [`postgresql://u:pa#ss${S}@h/db`, /a '#' .* percent-encode/],
    [`postgresql://u:${S}@h1,h2/db`, /several hosts/],
    [`postgresql://u:${S}@h/db?schema=public`, /parameter 'schema', which retort's PostgreSQL driver does not understand .*--version-schema/],
    [`postgresql://u:${S}@h/db?target_session_attrs=any`, /parameter 'target_session_attrs', which .* does not understand: remove it/],
    [`mysql://u:${S}@h/db?sslmode=PREFERRED`, /PREFERRED cannot be honoured/],
    [`mysql://u:${S}@h/db?charset=utf8`, /parameter 'charset', which retort's MySQL\/MariaDB driver does not understand/],
    [`postgresql://u:${S}@h/db?password=x&${S}=1`, /parameter number 2 \(a name retort does not know\)/],
    [`postgresql://u@h/db?x${S}`, /parameter number 1 of the database URL has no '='/],
    [`password=${S} b host=h`, /no '=' after it: .* quote values with spaces/],
    [`password='${S} host=h`, /without its closing quote/],
    [`host=h pwd=${S}`, /parameter number 2 \(a name retort does not know\)/],
    [`redis://u:${S}@h`, /Unsupported database URL scheme 'redis:'/],
    [S, /not a URL or a keyword string/],
    ["pglite://data?x=1", /takes no parameters/],
  ];
  for (const [text, message] of cases) {
    it(text.replace(S, "S"), () => {
      const e = failure(text);
      expect(e.code).toBe("usage");
      expect(e.message).toMatch(message);
      expect(e.message).not.toContain(S);
      expect(e.message).not.toContain("URI malformed");
      // What the text seemed to hold is still scrubbed from any message that quotes it.
      expect(scrubSecrets(`echo ${text}`, secretsOf(text))).not.toContain(S);
    });
  }
});

describe("pglite", () => {
  it("keeps the path as written, decoded", () => {
    expect(describeTarget("pglite://../../x")).toMatchObject({ location: "../../x", display: "pglite://../../x" });
    expect(describeTarget("pglite://my%20dir/db")).toMatchObject({ location: "my dir/db" });
    expect(describeTarget("pglite://memory")).toMatchObject({ location: null, display: "pglite://memory", secrets: [] });
    expect(describeTarget("pglite://")).toMatchObject({ location: ".retort/pglite" });
    expect(failure("pglite://50%off").message).toMatch(/'%' in the PGlite path .* %25/);
  });
});

describe("connectionUrl", () => {
  it("gives tools that need a URL the same target, secrets and parameters included", () => {
    for (const text of [
      `host=/var/run/postgresql user=u password='a b' dbname=d sslmode=require sslpassword=${S}`,
      `postgresql://u:p%40ss%3Aw%2Frd%25@[::1]:5433/d%2Fb?sslmode=disable&options=-c%20x%3D1`,
      `mysql://root:${S}@127.0.0.1:3306/db?ssl-mode=REQUIRED`,
    ]) {
      const t = server(text);
      const again = server(connectionUrl(t));
      for (const key of ["host", "port", "user", "password", "database", "tls", "settings", "parameters"] as const) {
        expect(again[key], `${text}: ${key}`).toEqual(t[key]);
      }
    }
  });
});
