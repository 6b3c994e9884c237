// The real-client stage: the coding agents and SDKs as installed from npm (versions pinned in
// package.json), each pointed at a Junction jar whose providers are the strict mocks of
// mock-upstreams.mjs, each asked to read a file through its own tool and say what it holds.
// A case passes when the client's output quotes the token that only the file holds AND the
// mocks saw the expected upstream protocol answer a turn carrying the tool's result.
//
//   node clients/run.mjs [case-name-substring ...]     (after `./mvnw package`; `npm ci` in clients/)
//
// Cases in EXPECTED_TO_FAIL need gateway work that lives on other branches; they run, and are
// reported, but only they may fail. One of them passing is reported so that it leaves the list.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEYS, startMocks } from './mock-upstreams.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const BIN = path.join(HERE, 'node_modules', '.bin');
const MASTER_KEY = 'jx-master-clients';
// Generous for a busy 2-core machine (a case takes 1-15 s when it is calm); the stage as a whole
// stops starting cases after STAGE_BUDGET_MS, and those left count as failed.
const CASE_TIMEOUT_MS = 150_000;
const STAGE_BUDGET_MS = 20 * 60_000;

/** Case name -> why it fails today. Nothing else may fail. */
const EXPECTED_TO_FAIL = {
};

const MODELS = { openai: 'gpt-4o', anthropic: 'claude-sonnet-4-5', gemini: 'gemini-2.5-flash' };

function log(...a) { console.log(...a); }

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Runs a command to its end (or the timeout); never throws. */
function run(cmd, args, { env, cwd, input, timeoutMs = CASE_TIMEOUT_MS }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('error', (e) => { err += String(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      // Whatever the client left running in its process group goes with it.
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none left */ }
      resolve({ code, out, err, timedOut });
    });
    child.stdin.end(input ?? '');
  });
}

async function startGateway(work, mockPort) {
  const port = await freePort();
  const mock = `http://127.0.0.1:${mockPort}`;
  const config = path.join(work, 'junction.yaml');
  fs.writeFileSync(config, `server:
  host: 127.0.0.1
  port: ${port}
auth:
  master_key: ${MASTER_KEY}
storage:
  url: jdbc:sqlite:${path.join(work, 'junction.db')}
providers:
  - name: openai
    type: openai
    base_url: ${mock}/v1
    api_keys: [${KEYS.openai}]
    models: [gpt-4o, gpt-4o-mini]
    max_retries: 0
    health_check_interval_ms: 0
  - name: anthropic
    type: anthropic
    base_url: ${mock}
    api_keys: [${KEYS.anthropic}]
    models: [claude-sonnet-4-5, claude-haiku-4-5]
    max_retries: 0
    health_check_interval_ms: 0
  - name: gemini
    type: gemini
    base_url: ${mock}
    api_keys: [${KEYS.gemini}]
    models: [gemini-2.5-flash, gemini-2.5-pro]
    max_retries: 0
    health_check_interval_ms: 0
`);
  const jar = path.join(ROOT, 'target', 'junction.jar');
  const out = fs.openSync(path.join(work, 'gateway.log'), 'w');
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/_API_KEY$|_BASE_URL$|^JUNCTION_/.test(k)) delete env[k];
  // scripts/env.sh sets JAVA_HOME to a JDK 21+; the java on PATH may be older.
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child = spawn(java, ['-jar', jar, 'serve', '--config', config], { env, stdio: ['ignore', out, out] });
  const url = `http://127.0.0.1:${port}`;
  // Up to two minutes: a JVM starts slowly on a busy 2-core machine.
  for (let i = 0; i < 480; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url };
    } catch { /* not up yet */ }
    if (child.exitCode != null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the gateway did not start; its log:\n${fs.readFileSync(path.join(work, 'gateway.log'), 'utf8')}`);
}

/** SIGTERM (a clean stop writes the request log), SIGKILL if it is still there after 15 s. */
async function stopGateway(child) {
  if (child.exitCode != null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The environment every client gets: a private HOME, no proxies, no telemetry, no updates. */
function baseEnv(home) {
  const env = {};
  for (const k of ['PATH', 'LANG', 'TERM', 'SYSTEMROOT', 'JAVA_HOME']) if (process.env[k]) env[k] = process.env[k];
  env.PATH = `${BIN}:${env.PATH}`;
  Object.assign(env, {
    HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache'),
    TMPDIR: path.join(home, 'tmp'), NO_COLOR: '1', CI: 'true', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost',
    DO_NOT_TRACK: '1', NODE_NO_WARNINGS: '1',
  });
  return env;
}

function caseList(gw) {
  const cases = [];
  const prompt = (file) => `Read the file ${file} with your file-reading tool and tell me exactly what it says.`;

  // Claude Code: ANTHROPIC_BASE_URL + ANTHROPIC_API_KEY; every model it uses for side tasks set to the one under test.
  for (const [provider, model] of Object.entries(MODELS)) {
    cases.push({
      name: `claude -p -> ${model} (${provider})`, upstream: provider,
      run: (c) => {
        const env = { ...c.env, ANTHROPIC_BASE_URL: gw, ANTHROPIC_API_KEY: MASTER_KEY, ANTHROPIC_MODEL: model,
          ANTHROPIC_SMALL_FAST_MODEL: model, ANTHROPIC_DEFAULT_HAIKU_MODEL: model, ANTHROPIC_DEFAULT_SONNET_MODEL: model,
          ANTHROPIC_DEFAULT_OPUS_MODEL: model, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1',
          DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1', DISABLE_BUG_COMMAND: '1', CLAUDE_CODE_DISABLE_TERMINAL_TITLE: '1' };
        return run(path.join(BIN, 'claude'), ['-p', prompt(c.file), '--model', model, '--allowedTools', 'Read',
          '--output-format', 'text'], { env, cwd: c.dir });
      },
    });
  }

  // Gemini CLI: GOOGLE_GEMINI_BASE_URL + GEMINI_API_KEY; settings.json turns off statistics and updates.
  for (const [provider, model] of [['gemini', MODELS.gemini], ['anthropic', MODELS.anthropic], ['openai', MODELS.openai]]) {
    cases.push({
      name: `gemini -p -> ${model} (${provider})`, upstream: provider,
      run: (c) => {
        const settings = path.join(c.home, '.gemini');
        fs.mkdirSync(settings, { recursive: true });
        fs.writeFileSync(path.join(settings, 'settings.json'), JSON.stringify({
          general: { disableAutoUpdate: true, disableUpdateNag: true },
          privacy: { usageStatisticsEnabled: false },
          telemetry: { enabled: false },
          security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
        }));
        const env = { ...c.env, GOOGLE_GEMINI_BASE_URL: gw, GEMINI_API_KEY: MASTER_KEY, GEMINI_CLI_TRUST_WORKSPACE: 'true' };
        return run(path.join(BIN, 'gemini'), ['-p', prompt(c.file), '-m', model, '--approval-mode', 'yolo', '--output-format', 'text'],
          { env, cwd: c.dir });
      },
    });
  }

  // Codex CLI: a custom provider in $CODEX_HOME/config.toml (Codex speaks only the Responses API).
  for (const [provider, model] of Object.entries(MODELS)) {
    cases.push({
      name: `codex exec -> ${model} (${provider})`, upstream: provider,
      run: (c) => {
        const codexHome = path.join(c.home, '.codex');
        fs.mkdirSync(codexHome, { recursive: true });
        fs.writeFileSync(path.join(codexHome, 'config.toml'), `model = "${model}"
model_provider = "junction"
check_for_update_on_startup = false

[model_providers.junction]
name = "Junction"
base_url = "${gw}/v1"
env_key = "JUNCTION_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0

[analytics]
enabled = false

[otel]
exporter = "none"
`);
        const env = { ...c.env, CODEX_HOME: codexHome, JUNCTION_API_KEY: MASTER_KEY };
        return run(path.join(BIN, 'codex'), ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox',
          prompt(c.file)], { env, cwd: c.dir });
      },
    });
  }

  // The SDKs, through sdk-case.mjs: same-protocol and cross-protocol, JSON and streams.
  const sdk = (name, upstream, args) => cases.push({
    name, upstream,
    run: (c) => run(process.execPath, [path.join(HERE, 'sdk-case.mjs'), ...args, c.file],
      { env: { ...c.env, JUNCTION_URL: gw, JUNCTION_KEY: MASTER_KEY }, cwd: c.dir }),
  });
  sdk('ai-sdk openai.chat generateText -> gpt-4o (openai)', 'openai', ['ai-sdk', 'openai.chat', 'generate', MODELS.openai]);
  sdk('ai-sdk openai.chat streamText -> gemini-2.5-flash (gemini)', 'gemini', ['ai-sdk', 'openai.chat', 'stream', MODELS.gemini]);
  sdk('ai-sdk anthropic streamText -> claude-sonnet-4-5 (anthropic)', 'anthropic', ['ai-sdk', 'anthropic', 'stream', MODELS.anthropic]);
  sdk('ai-sdk anthropic generateText -> gpt-4o (openai)', 'openai', ['ai-sdk', 'anthropic', 'generate', MODELS.openai]);
  sdk('ai-sdk google streamText -> gemini-2.5-flash (gemini)', 'gemini', ['ai-sdk', 'google', 'stream', MODELS.gemini]);
  sdk('ai-sdk google generateText -> claude-sonnet-4-5 (anthropic)', 'anthropic', ['ai-sdk', 'google', 'generate', MODELS.anthropic]);
  sdk('ai-sdk openai(model) generateText -> gpt-4o (openai)', 'openai', ['ai-sdk', 'openai', 'generate', MODELS.openai]);
  sdk('agents-sdk chat_completions -> gpt-4o (openai)', 'openai', ['agents', 'chat_completions', 'run', MODELS.openai]);
  sdk('agents-sdk chat_completions streamed -> claude-sonnet-4-5 (anthropic)', 'anthropic', ['agents', 'chat_completions', 'stream', MODELS.anthropic]);
  sdk('ai-sdk openai(model) streamText -> gemini-2.5-flash (gemini)', 'gemini', ['ai-sdk', 'openai', 'stream', MODELS.gemini]);
  sdk('agents-sdk default (responses) -> gpt-4o (openai)', 'openai', ['agents', 'responses', 'run', MODELS.openai]);
  sdk('agents-sdk default (responses) streamed -> claude-sonnet-4-5 (anthropic)', 'anthropic', ['agents', 'responses', 'stream', MODELS.anthropic]);
  return cases;
}

async function main() {
  const filters = process.argv.slice(2);
  const jar = path.join(ROOT, 'target', 'junction.jar');
  if (!fs.existsSync(jar)) {
    log(`clients: ${jar} is missing; build it first (./mvnw -DskipTests package)`);
    process.exit(1);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'junction-clients-'));
  const mocks = await startMocks();
  const gateway = await startGateway(work, mocks.port);
  log(`clients: gateway ${gateway.url}, mock upstreams on 127.0.0.1:${mocks.port}, work dir ${work}`);
  const results = [];
  try {
    const all = caseList(gateway.url);
    const unknown = Object.keys(EXPECTED_TO_FAIL).filter((n) => !all.some((c) => c.name === n));
    if (unknown.length) throw new Error(`EXPECTED_TO_FAIL names no case: ${unknown.join('; ')}`);
    const cases = all.filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
    const stageStart = Date.now();
    for (const [i, kase] of cases.entries()) {
      if (Date.now() - stageStart > STAGE_BUDGET_MS) {
        results.push({ name: kase.name, status: 'FAIL' });
        log(`FAIL  ${kase.name}  (not run: the stage is over its ${STAGE_BUDGET_MS / 60_000} minutes)`);
        continue;
      }
      const dir = path.join(work, `case-${i}`);
      const home = path.join(dir, 'home');
      fs.mkdirSync(path.join(home, 'tmp'), { recursive: true });
      const token = `JX-${Math.random().toString(36).slice(2, 12).toUpperCase().padEnd(10, 'Q')}`;
      const file = path.join(dir, 'token.txt');
      fs.writeFileSync(file, `The secret is ${token}\n`);
      const from = mocks.log.length;
      const started = Date.now();
      const r = await kase.run({ dir, home, file, env: baseEnv(home) });
      const seen = mocks.log.slice(from);
      // Every upstream request of the case, for a look when it fails.
      fs.writeFileSync(path.join(dir, 'upstream-requests.json'), JSON.stringify(seen, null, 1));
      const problems = [];
      if (r.timedOut) problems.push(`timed out after ${CASE_TIMEOUT_MS / 1000} s`);
      if (r.code !== 0 && !r.timedOut) problems.push(`exit code ${r.code}`);
      if (!r.out.includes(token)) problems.push(`output lacks the token ${token}`);
      if (!seen.some((e) => e.protocol === kase.upstream && e.answer?.startsWith('tool:'))) problems.push(`no tool call from the ${kase.upstream} upstream`);
      if (!seen.some((e) => e.protocol === kase.upstream && e.sawToolResult)) problems.push(`the ${kase.upstream} upstream never got the tool result`);
      const elsewhere = [...new Set(seen.filter((e) => e.protocol !== kase.upstream).map((e) => e.protocol))];
      if (elsewhere.length) problems.push(`requests reached the ${elsewhere.join(', ')} upstream too`);
      const refused = seen.filter((e) => e.status >= 400);
      for (const e of refused) problems.push(`upstream ${e.protocol} refused ${e.path} (${e.status}): ${e.error.slice(0, 300)}`);
      const ok = problems.length === 0;
      const expected = EXPECTED_TO_FAIL[kase.name];
      const status = ok ? (expected ? 'XPASS' : 'PASS') : (expected ? 'XFAIL' : 'FAIL');
      results.push({ name: kase.name, status });
      log(`${status.padEnd(5)} ${kase.name}  (${((Date.now() - started) / 1000).toFixed(1)} s, ${seen.length} upstream calls)`);
      if (!ok) {
        for (const p of problems) log(`      - ${p}`);
        if (expected) log(`      expected to fail until: ${expected}`);
        const tail = (s) => s.trim().split('\n').slice(-15).map((l) => `      | ${l.slice(0, 400)}`).join('\n');
        if (!expected || process.env.CLIENTS_VERBOSE) {
          if (r.out.trim()) log(`      stdout:\n${tail(r.out)}`);
          if (r.err.trim()) log(`      stderr:\n${tail(r.err)}`);
        }
      }
      if (ok && expected) log(`      passes now: take it out of EXPECTED_TO_FAIL in clients/run.mjs`);
    }
  } finally {
    await stopGateway(gateway.child);
    mocks.server.close();
    mocks.server.closeAllConnections?.();
  }
  const count = (s) => results.filter((r) => r.status === s).length;
  const passed = count('PASS') + count('XPASS');
  const failed = count('FAIL');
  if (failed === 0) fs.rmSync(work, { recursive: true, force: true });
  else log(`clients: the failed cases' work directories are kept under ${work}`);
  if (count('XFAIL')) log(`clients: ${count('XFAIL')} expected to fail (listed in EXPECTED_TO_FAIL, counted as skipped)`);
  log(`${passed} passed, ${failed} failed, ${count('XFAIL')} skipped`);
  process.exit(failed === 0 && results.length > 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  log('0 passed, 1 failed');
  process.exit(1);
});
