// Mock OpenAI, Anthropic and Gemini upstreams on one loopback port, for the real-client stage.
//
// Each checks a request the way the real API does (keys, headers, known fields, roles, tool call /
// tool result pairing, model limits) and answers with a 400 in that API's own error shape when
// the gateway sends something the real API would refuse. Answers follow a small agent script,
// decided from the conversation itself, so any client can run a whole tool round trip:
//   1. the last turn holds a tool result  -> a text answer quoting the token found in it;
//   2. the client offered a tool that can read a file and the prompt names one -> call it;
//   3. anything else (titles, probes)      -> a short text answer.
// Every request is recorded (protocol, model, what it was answered) for the runner's checks.
import http from 'node:http';

export const KEYS = { openai: 'sk-mock-openai', anthropic: 'sk-ant-mock', gemini: 'mock-gemini-key' };
const TOKEN_RE = /JX-[A-Z0-9]{10}/;
const PATH_RE = /(\/[\w./-]*token\.txt)/;

/** Output limits of the mocked models, as the real APIs enforce them. */
const OPENAI_MAX_OUTPUT = { 'gpt-4o': 16384, 'gpt-4o-mini': 16384 };
const OPENAI_REASONING = /^(o\d|gpt-5)/;

const OPENAI_FIELDS = new Set(['model', 'messages', 'audio', 'frequency_penalty', 'function_call', 'functions', 'logit_bias',
  'logprobs', 'max_completion_tokens', 'max_tokens', 'metadata', 'modalities', 'n', 'parallel_tool_calls', 'prediction',
  'presence_penalty', 'prompt_cache_key', 'prompt_cache_retention', 'reasoning_effort', 'response_format', 'safety_identifier',
  'seed', 'service_tier', 'stop', 'store', 'stream', 'stream_options', 'temperature', 'tool_choice', 'tools', 'top_logprobs',
  'top_p', 'user', 'verbosity', 'web_search_options']);
const RESPONSES_FIELDS = new Set(['access_programs', 'background', 'context_management', 'conversation', 'image', 'include',
  'input', 'instructions', 'max_output_tokens', 'max_tool_calls', 'metadata', 'model', 'moderation', 'parallel_tool_calls',
  'previous_response_id', 'prompt', 'prompt_cache_key', 'prompt_cache_options', 'prompt_cache_retention', 'reasoning',
  'safety_identifier', 'service_tier', 'store', 'stream', 'stream_options', 'temperature', 'text', 'tool_choice', 'tools',
  'top_logprobs', 'top_p', 'truncation', 'user',
  'client_metadata']); // not in the SDK's types, but Codex sends it to OpenAI
const ANTHROPIC_FIELDS = new Set(['model', 'messages', 'max_tokens', 'system', 'metadata', 'stop_sequences', 'stream',
  'temperature', 'top_p', 'top_k', 'tools', 'tool_choice', 'thinking', 'service_tier', 'container', 'mcp_servers',
  'context_management', 'output_config']);
const ANTHROPIC_BLOCKS = new Set(['text', 'image', 'document', 'search_result', 'tool_use', 'tool_result', 'thinking',
  'redacted_thinking', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result', 'container_upload']);
const GEMINI_FIELDS = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'safetySettings',
  'cachedContent', 'model']);
const GEMINI_PART_FIELDS = new Set(['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'thought',
  'thoughtSignature', 'executableCode', 'codeExecutionResult', 'videoMetadata', 'partMetadata', 'mediaResolution']);
const GEMINI_GENERATION_FIELDS = new Set(['temperature', 'topP', 'topK', 'maxOutputTokens', 'stopSequences', 'candidateCount',
  'seed', 'presencePenalty', 'frequencyPenalty', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'thinkingConfig',
  'responseModalities', 'responseLogprobs', 'logprobs', 'mediaResolution', 'speechConfig']);

class Refusal extends Error {
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}
const refuse = (message, extra) => { throw new Refusal(400, message, extra); };

/** The decision of the agent script, the same for every protocol. */
function decide(lastUserText, toolResultText, tools) {
  if (toolResultText != null) {
    const token = toolResultText.match(TOKEN_RE);
    return { kind: 'text', text: token ? `The file says ${token[0]}.` : 'The tool result held no token.', sawToolResult: true };
  }
  const path = (lastUserText || '').match(PATH_RE)?.[1];
  if (path) {
    // A file-reading tool first; a shell only where the client has none (Codex).
    const ordered = [...tools.filter((t) => !SHELL_TOOL.test(t.name)), ...tools.filter((t) => SHELL_TOOL.test(t.name))];
    for (const t of ordered) {
      const args = argumentsFor(t, path);
      if (args) return { kind: 'tool', name: t.name, args };
    }
  }
  return { kind: 'text', text: 'Hello from the mock upstream.' };
}

const SHELL_TOOL = /^(exec_command|shell|shell_command|run_shell_command|Bash)$/;

/** Arguments that make a tool read {@code path}, from the tool's own schema; null when it can't. */
function argumentsFor(tool, path) {
  const props = tool.schema?.properties || {};
  const names = Object.keys(props);
  const pathField = names.find((n) => /^(file_path|absolute_path|path|filePath)$/.test(n));
  if (/^(read|read_file|readFile|read_token|readToken)$/i.test(tool.name) && pathField) return { [pathField]: path };
  if (SHELL_TOOL.test(tool.name)) {
    const cmd = names.find((n) => /^(cmd|command)$/.test(n));
    if (!cmd) return null;
    return { [cmd]: props[cmd].type === 'array' ? ['bash', '-lc', `cat ${path}`] : `cat ${path}` };
  }
  return null;
}

const textOf = (content) => {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c) => (typeof c === 'string' ? c : c.text ?? textOf(c.content) ?? '')).join('\n');
  return typeof content.text === 'string' ? content.text : JSON.stringify(content);
};

// ---- OpenAI chat completions

function openai(req, body, url) {
  if (req.headers.authorization !== `Bearer ${KEYS.openai}`) throw new Refusal(401, 'Incorrect API key provided');
  if (url.pathname === '/v1/responses') return responses(body);
  if (url.pathname !== '/v1/chat/completions') throw new Refusal(404, `Unknown request URL: POST ${url.pathname}`);
  for (const f of Object.keys(body)) if (!OPENAI_FIELDS.has(f)) refuse(`Unrecognized request argument supplied: ${f}`, { param: f });
  if (typeof body.model !== 'string') refuse("you must provide a model parameter");
  if (!Array.isArray(body.messages) || body.messages.length === 0) refuse("[] is too short - 'messages'", { param: 'messages' });
  if (body.max_tokens != null && body.max_completion_tokens != null) {
    refuse("max_tokens and max_completion_tokens cannot both be set", { param: 'max_tokens' });
  }
  const limit = OPENAI_MAX_OUTPUT[body.model];
  const asked = body.max_completion_tokens ?? body.max_tokens;
  if (limit && asked > limit) {
    refuse(`max_tokens is too large: ${asked}. This model supports at most ${limit} completion tokens, whereas you provided ${asked}.`,
      { param: 'max_tokens', code: 'invalid_value' });
  }
  if (body.reasoning_effort != null && !OPENAI_REASONING.test(body.model)) {
    refuse("Unsupported parameter: 'reasoning_effort' is not supported with this model.", { param: 'reasoning_effort', code: 'unsupported_parameter' });
  }
  if (body.stream_options != null && body.stream !== true) refuse("The 'stream_options' parameter is only allowed when 'stream' is enabled.");
  const tools = [];
  for (const [i, t] of (body.tools || []).entries()) {
    if (t.type !== 'function' || typeof t.function?.name !== 'string') refuse(`Missing required parameter: 'tools[${i}].function'.`);
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(t.function.name)) refuse(`Invalid 'tools[${i}].function.name': string does not match pattern.`);
    tools.push({ name: t.function.name, schema: t.function.parameters });
  }
  let pending = new Set();
  let lastUser = '';
  let toolResult = null;
  body.messages.forEach((m, i) => {
    if (!['system', 'developer', 'user', 'assistant', 'tool'].includes(m.role)) {
      refuse(`Invalid value: '${m.role}'. Supported values are: 'system', 'assistant', 'user', 'tool', 'function', and 'developer'.`, { param: `messages[${i}].role` });
    }
    if (m.role !== 'tool' && pending.size > 0) {
      refuse(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`, { param: 'messages' });
    }
    if (m.role === 'tool') {
      if (!pending.has(m.tool_call_id)) {
        refuse("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", { param: `messages[${i}].role` });
      }
      pending.delete(m.tool_call_id);
      toolResult = textOf(m.content);
    } else {
      toolResult = null;
    }
    if (m.role === 'user') lastUser = textOf(m.content);
    if (m.role === 'assistant') {
      for (const c of m.tool_calls || []) {
        if (typeof c.id !== 'string' || c.type !== 'function' || typeof c.function?.arguments !== 'string') {
          refuse(`Invalid 'messages[${i}].tool_calls': each needs id, type 'function' and function.arguments as a string.`);
        }
        pending.add(c.id);
      }
    }
  });
  if (pending.size > 0) refuse(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.`);
  return { decision: decide(lastUser, toolResult, tools), stream: body.stream === true, includeUsage: body.stream_options?.include_usage === true };
}

// ---- OpenAI Responses (for providers that serve it: Junction passes Responses requests through)

function responses(body) {
  for (const f of Object.keys(body)) if (!RESPONSES_FIELDS.has(f)) refuse(`Unknown parameter: '${f}'.`, { param: f, code: 'unknown_parameter' });
  if (typeof body.model !== 'string') refuse("Missing required parameter: 'model'.", { param: 'model', code: 'missing_required_parameter' });
  if (body.previous_response_id != null) {
    refuse(`Previous response with id '${body.previous_response_id}' not found.`, { param: 'previous_response_id', code: 'previous_response_not_found' });
  }
  const limit = OPENAI_MAX_OUTPUT[body.model];
  if (limit && body.max_output_tokens > limit) refuse(`max_output_tokens is too large: ${body.max_output_tokens}.`, { param: 'max_output_tokens' });
  if (body.reasoning?.effort != null && !OPENAI_REASONING.test(body.model)) {
    refuse("Unsupported parameter: 'reasoning.effort' is not supported with this model.", { param: 'reasoning.effort', code: 'unsupported_parameter' });
  }
  const tools = [];
  for (const [i, t] of (body.tools || []).entries()) {
    if (t.type === 'function') {
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(t.name || '')) refuse(`Invalid 'tools[${i}].name': string does not match pattern.`, { param: `tools[${i}].name` });
      tools.push({ name: t.name, schema: t.parameters });
    } else if (typeof t.type !== 'string') {
      refuse(`Missing required parameter: 'tools[${i}].type'.`, { param: `tools[${i}].type` });
    }
  }
  const input = typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : body.input;
  if (!Array.isArray(input)) refuse("Missing required parameter: 'input'.", { param: 'input' });
  const calls = new Set();
  let lastUser = '';
  let toolResult = null;
  input.forEach((item, i) => {
    const type = item.type ?? 'message';
    toolResult = null;
    if (type === 'message') {
      if (!['user', 'assistant', 'system', 'developer'].includes(item.role)) {
        refuse(`Invalid value: '${item.role}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.`, { param: `input[${i}].role` });
      }
      if (item.role === 'user') lastUser = textOf(item.content);
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      if (typeof item.call_id !== 'string' || typeof item.name !== 'string') refuse(`Missing required parameter: 'input[${i}].call_id'.`);
      calls.add(item.call_id);
    } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      if (!calls.has(item.call_id)) refuse(`No tool call found for function call output with call_id ${item.call_id}.`, { param: 'input' });
      toolResult = typeof item.output === 'string' ? item.output : textOf(item.output);
    }
  });
  return { decision: decide(lastUser, toolResult, tools), stream: body.stream === true, responses: true };
}

function responsesAnswer(res, model, { decision, stream }) {
  const item = decision.kind === 'tool'
    ? { id: 'fc_mock_1', type: 'function_call', status: 'completed', call_id: 'call_mock_1', name: decision.name, arguments: JSON.stringify(decision.args) }
    : { id: 'msg_mock_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: decision.text, annotations: [], logprobs: [] }] };
  const usage = { input_tokens: 120, input_tokens_details: { cached_tokens: 0 }, output_tokens: 12, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 132 };
  const response = (status, output, u) => ({ id: 'resp_mock_1', object: 'response', created_at: 1700000000, status, error: null,
    incomplete_details: null, model, output, parallel_tool_calls: true, tool_choice: 'auto', tools: [], usage: u, store: false });
  if (!stream) return json(res, 200, response('completed', [item], usage));
  sse(res);
  let seq = 0;
  const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  let out = ev('response.created', { response: response('in_progress', [], null) });
  out += ev('response.in_progress', { response: response('in_progress', [], null) });
  const at = { output_index: 0 };
  if (item.type === 'function_call') {
    out += ev('response.output_item.added', { ...at, item: { ...item, status: 'in_progress', arguments: '' } });
    out += ev('response.function_call_arguments.delta', { ...at, item_id: item.id, delta: item.arguments.slice(0, 5) });
    out += ev('response.function_call_arguments.delta', { ...at, item_id: item.id, delta: item.arguments.slice(5) });
    out += ev('response.function_call_arguments.done', { ...at, item_id: item.id, name: item.name, arguments: item.arguments });
  } else {
    const part = { ...at, item_id: item.id, content_index: 0 };
    out += ev('response.output_item.added', { ...at, item: { ...item, status: 'in_progress', content: [] } });
    out += ev('response.content_part.added', { ...part, part: { type: 'output_text', text: '', annotations: [] } });
    for (const w of decision.text.split(/(?= )/)) out += ev('response.output_text.delta', { ...part, delta: w, logprobs: [] });
    out += ev('response.output_text.done', { ...part, text: decision.text, logprobs: [] });
    out += ev('response.content_part.done', { ...part, part: item.content[0] });
  }
  out += ev('response.output_item.done', { ...at, item });
  res.end(out + ev('response.completed', { response: response('completed', [item], usage) }));
}

function openaiAnswer(res, model, plan) {
  if (plan.responses) return responsesAnswer(res, model, plan);
  const { decision, stream, includeUsage } = plan;
  const base = { id: 'chatcmpl-mock', created: 1700000000, model, system_fingerprint: 'fp_mock' };
  const usage = { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132, prompt_tokens_details: { cached_tokens: 0 } };
  const call = decision.kind === 'tool' ? { id: 'call_mock_1', type: 'function', function: { name: decision.name, arguments: JSON.stringify(decision.args) } } : null;
  const finish = call ? 'tool_calls' : 'stop';
  if (!stream) {
    const message = call ? { role: 'assistant', content: null, tool_calls: [call], refusal: null } : { role: 'assistant', content: decision.text, refusal: null };
    return json(res, 200, { ...base, object: 'chat.completion', choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage });
  }
  sse(res);
  const chunk = (delta, finishReason = null) => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] })}\n\n`;
  let out = chunk({ role: 'assistant', content: '', refusal: null });
  if (call) {
    out += chunk({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
    const a = call.function.arguments;
    out += chunk({ tool_calls: [{ index: 0, function: { arguments: a.slice(0, 5) } }] });
    out += chunk({ tool_calls: [{ index: 0, function: { arguments: a.slice(5) } }] });
  } else {
    for (const w of decision.text.split(/(?= )/)) out += chunk({ content: w });
  }
  out += chunk({}, finish);
  if (includeUsage) out += `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`;
  res.end(out + 'data: [DONE]\n\n');
}

// ---- Anthropic messages

function anthropic(req, body, url) {
  if (req.headers['x-api-key'] !== KEYS.anthropic) throw new Refusal(401, 'invalid x-api-key', { type: 'authentication_error' });
  if (req.headers['anthropic-version'] !== '2023-06-01') refuse('anthropic-version: header is required');
  if (url.pathname === '/v1/messages/count_tokens') return { countTokens: true };
  if (url.pathname !== '/v1/messages') throw new Refusal(404, 'Not Found', { type: 'not_found_error' });
  for (const f of Object.keys(body)) if (!ANTHROPIC_FIELDS.has(f)) refuse(`${f}: Extra inputs are not permitted`);
  if (typeof body.model !== 'string') refuse('model: Field required');
  if (!Number.isInteger(body.max_tokens)) refuse('max_tokens: Field required');
  if (body.thinking?.type === 'enabled') {
    if (!(body.thinking.budget_tokens >= 1024)) refuse('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (body.thinking.budget_tokens >= body.max_tokens) refuse('`max_tokens` must be greater than `thinking.budget_tokens`');
  }
  const betas = String(req.headers['anthropic-beta'] || '');
  // A beta field without its beta header is an unknown field to the real API.
  if (body.context_management != null && !/context-management-/.test(betas)) refuse('context_management: Extra inputs are not permitted');
  const tools = [];
  for (const [i, t] of (body.tools || []).entries()) {
    if (t.type && t.type !== 'custom') continue; // server tools
    if (!/^[a-zA-Z0-9_-]{1,128}$/.test(t.name || '')) refuse(`tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
    if (t.input_schema?.type !== 'object') refuse(`tools.${i}.custom.input_schema.type: Input should be 'object'`);
    tools.push({ name: t.name, schema: t.input_schema });
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) refuse('messages: at least one message is required');
  let previousToolUses = new Set();
  let lastUser = '';
  let toolResult = null;
  body.messages.forEach((m, i) => {
    if (m.role === 'system' && /mid-conversation-system/.test(betas)) return;
    if (m.role !== 'user' && m.role !== 'assistant') refuse(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    const blocks = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    if (!Array.isArray(blocks)) refuse(`messages.${i}.content: Input should be a valid list`);
    const toolUses = new Set();
    toolResult = null;
    blocks.forEach((b, j) => {
      if (!ANTHROPIC_BLOCKS.has(b.type)) refuse(`messages.${i}.content.${j}: Input tag '${b.type}' found using 'type' does not match any of the expected tags`);
      if (b.type === 'text' && (typeof b.text !== 'string' || b.text === '')) refuse(`messages.${i}.content.${j}.text: text content blocks must be non-empty`);
      if (b.type === 'tool_use') {
        if (m.role !== 'assistant') refuse(`messages.${i}.content.${j}: tool_use blocks are only allowed in assistant messages`);
        if (!/^[a-zA-Z0-9_-]+$/.test(b.id || '')) refuse(`messages.${i}.content.${j}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
        if (typeof b.input !== 'object' || b.input === null || Array.isArray(b.input)) refuse(`messages.${i}.content.${j}.tool_use.input: Input should be a valid dictionary`);
        toolUses.add(b.id);
      }
      if (b.type === 'tool_result') {
        if (!previousToolUses.has(b.tool_use_id)) {
          refuse(`messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${b.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
        }
        toolResult = (toolResult ?? '') + textOf(b.content);
      }
    });
    if (m.role === 'user' && toolResult == null) lastUser = textOf(blocks);
    previousToolUses = toolUses;
  });
  return { decision: decide(lastUser, toolResult, tools), stream: body.stream === true };
}

function anthropicAnswer(res, model, { decision, stream, countTokens }) {
  if (countTokens) return json(res, 200, { input_tokens: 120 });
  const block = decision.kind === 'tool'
    ? { type: 'tool_use', id: 'toolu_mock_1', name: decision.name, input: decision.args }
    : { type: 'text', text: decision.text };
  const stop = decision.kind === 'tool' ? 'tool_use' : 'end_turn';
  const usage = { input_tokens: 120, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 12 };
  const message = { id: 'msg_mock_1', type: 'message', role: 'assistant', model, content: [block], stop_reason: stop, stop_sequence: null, usage };
  if (!stream) return json(res, 200, message);
  sse(res);
  const ev = (name, data) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  let out = ev('message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } });
  out += ev('ping', {});
  if (block.type === 'tool_use') {
    out += ev('content_block_start', { index: 0, content_block: { ...block, input: {} } });
    const a = JSON.stringify(block.input);
    out += ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: a.slice(0, 5) } });
    out += ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: a.slice(5) } });
  } else {
    out += ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    for (const w of block.text.split(/(?= )/)) out += ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } });
  }
  out += ev('content_block_stop', { index: 0 });
  out += ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 12 } });
  res.end(out + ev('message_stop', {}));
}

// ---- Gemini generateContent

function gemini(req, body, url) {
  const key = req.headers['x-goog-api-key'] || url.searchParams.get('key');
  if (key !== KEYS.gemini) throw new Refusal(400, 'API key not valid. Please pass a valid API key.', { status: 'INVALID_ARGUMENT' });
  const m = url.pathname.match(/^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/);
  if (!m) throw new Refusal(404, `Method not found: ${url.pathname}`, { status: 'NOT_FOUND' });
  if (m[2] === 'countTokens') return { countTokens: true, model: m[1] };
  for (const f of Object.keys(body)) if (!GEMINI_FIELDS.has(camel(f))) refuse(`Invalid JSON payload received. Unknown name "${f}": Cannot find field.`);
  for (const f of Object.keys(body.generationConfig || {})) {
    if (!GEMINI_GENERATION_FIELDS.has(camel(f))) refuse(`Invalid JSON payload received. Unknown name "${f}" at 'generation_config': Cannot find field.`);
  }
  const tools = [];
  for (const t of body.tools || []) {
    for (const d of t.functionDeclarations || t.function_declarations || []) {
      if (d.parameters && d.parametersJsonSchema) refuse('parameters and parameters_json_schema are mutually exclusive');
      tools.push({ name: d.name, schema: d.parametersJsonSchema || d.parameters });
    }
  }
  if (!Array.isArray(body.contents) || body.contents.length === 0) refuse('* GenerateContentRequest.contents: contents is not specified');
  let pendingCalls = 0;
  let lastUser = '';
  let toolResult = null;
  for (const c of body.contents) {
    if (c.role != null && c.role !== 'user' && c.role !== 'model') refuse('Please use a valid role: user, model.');
    if (!Array.isArray(c.parts) || c.parts.length === 0) refuse('* GenerateContentRequest.contents.parts: contents.parts must not be empty.');
    let calls = 0;
    let responses = 0;
    toolResult = null;
    for (const p of c.parts) {
      for (const f of Object.keys(p)) if (!GEMINI_PART_FIELDS.has(camel(f))) refuse(`Invalid JSON payload received. Unknown name "${f}" at 'contents.parts': Cannot find field.`);
      if (p.functionCall) calls++;
      if (p.functionResponse) {
        responses++;
        toolResult = (toolResult ?? '') + JSON.stringify(p.functionResponse.response ?? {});
      }
    }
    if (pendingCalls > 0 && responses !== pendingCalls) {
      refuse('Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.');
    }
    pendingCalls = calls;
    if (c.role !== 'model' && toolResult == null) lastUser = c.parts.map((p) => p.text || '').join('\n');
  }
  return { decision: decide(lastUser, toolResult, tools), stream: m[2] === 'streamGenerateContent', sse: url.searchParams.get('alt') === 'sse', model: m[1] };
}

function geminiAnswer(res, _model, { decision, stream, sse: asSse, countTokens, model }) {
  if (countTokens) return json(res, 200, { totalTokens: 120 });
  const usage = { promptTokenCount: 120, candidatesTokenCount: 12, totalTokenCount: 132 };
  const part = decision.kind === 'tool' ? { functionCall: { name: decision.name, args: decision.args } } : { text: decision.text };
  const chunk = (parts, finish) => ({
    candidates: [{ content: { role: 'model', parts }, ...(finish ? { finishReason: 'STOP' } : {}), index: 0 }],
    ...(finish ? { usageMetadata: usage } : {}), modelVersion: model, responseId: 'mock-response',
  });
  if (!stream) return json(res, 200, chunk([part], true));
  const chunks = decision.kind === 'tool'
    ? [chunk([part], true)]
    : decision.text.split(/(?= )/).map((w, i, all) => chunk([{ text: w }], i === all.length - 1));
  if (asSse) {
    sse(res);
    res.end(chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join(''));
  } else {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(`[${chunks.map((c) => JSON.stringify(c)).join(',\r\n')}]`);
  }
}

const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sse(res) { res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }); }

function errorBody(protocol, e) {
  if (protocol === 'anthropic') return { type: 'error', error: { type: e.extra.type || 'invalid_request_error', message: e.message } };
  if (protocol === 'gemini') return { error: { code: e.status, message: e.message, status: e.extra.status || 'INVALID_ARGUMENT' } };
  return { error: { message: e.message, type: 'invalid_request_error', param: e.extra.param ?? null, code: e.extra.code ?? null } };
}

/** Starts the mocks on a free loopback port; {@code log} receives one entry per request. */
export function startMocks() {
  const log = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      const protocol = url.pathname.startsWith('/v1beta/') ? 'gemini' : url.pathname.startsWith('/v1/messages') ? 'anthropic' : 'openai';
      const entry = { protocol, path: url.pathname, status: 200 };
      log.push(entry);
      try {
        if (req.method !== 'POST') throw new Refusal(404, `No mock for ${req.method} ${url.pathname}`, { type: 'not_found_error', status: 'NOT_FOUND' });
        if (!String(req.headers['content-type'] || '').startsWith('application/json')) refuse('Content-Type must be application/json');
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          refuse('We could not parse the JSON body of your request.');
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body)) refuse('The request body must be a JSON object.');
        entry.model = body.model;
        entry.headers = req.headers;
        entry.body = body;
        const plan = protocol === 'openai' ? openai(req, body, url) : protocol === 'anthropic' ? anthropic(req, body, url) : gemini(req, body, url);
        entry.model = entry.model ?? plan.model;
        entry.answer = plan.countTokens ? 'count_tokens' : plan.decision.kind === 'tool' ? `tool:${plan.decision.name}` : 'text';
        entry.sawToolResult = plan.decision?.sawToolResult === true;
        entry.stream = plan.stream === true;
        (protocol === 'openai' ? openaiAnswer : protocol === 'anthropic' ? anthropicAnswer : geminiAnswer)(res, body.model, plan);
      } catch (e) {
        if (!(e instanceof Refusal)) e = new Refusal(500, `mock failed: ${e.stack}`, { type: 'api_error', status: 'INTERNAL' });
        entry.status = e.status;
        entry.error = e.message;
        json(res, e.status, errorBody(protocol, e));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, log })));
}
