// One SDK case of run.mjs: an agent loop with a real file-reading tool, through Junction.
//   node sdk-case.mjs ai-sdk  openai|openai.chat|anthropic|google  generate|stream  MODEL FILE
//   node sdk-case.mjs agents  chat_completions|responses           run|stream       MODEL FILE
// JUNCTION_URL and JUNCTION_KEY say where the gateway is. Prints the final answer.
import fs from 'node:fs';
import { z } from 'zod';

const [, , sdk, api, mode, model, file] = process.argv;
const url = process.env.JUNCTION_URL;
const key = process.env.JUNCTION_KEY;
const prompt = `Read the file ${file} with your file-reading tool and tell me exactly what it says.`;
const readFile = ({ path }) => fs.readFileSync(path, 'utf8');

if (sdk === 'ai-sdk') {
  const { generateText, streamText, tool, stepCountIs } = await import('ai');
  let provider;
  if (api === 'openai' || api === 'openai.chat') {
    const { createOpenAI } = await import('@ai-sdk/openai');
    const openai = createOpenAI({ baseURL: `${url}/v1`, apiKey: key });
    provider = api === 'openai' ? openai(model) : openai.chat(model);
  } else if (api === 'anthropic') {
    const { createAnthropic } = await import('@ai-sdk/anthropic');
    provider = createAnthropic({ baseURL: `${url}/v1`, apiKey: key })(model);
  } else if (api === 'google') {
    const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
    provider = createGoogleGenerativeAI({ baseURL: `${url}/v1beta`, apiKey: key })(model);
  } else {
    throw new Error(`unknown api ${api}`);
  }
  const tools = {
    read_file: tool({
      description: 'Reads a text file and returns its contents',
      inputSchema: z.object({ path: z.string().describe('absolute path of the file') }),
      execute: async (input) => readFile(input),
    }),
  };
  const options = { model: provider, tools, stopWhen: stepCountIs(4), prompt, maxRetries: 0 };
  if (mode === 'stream') {
    const result = streamText({ ...options, onError: ({ error }) => { console.error(error); process.exitCode = 1; } });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    console.log(text);
  } else {
    const result = await generateText(options);
    console.log(result.text);
  }
} else if (sdk === 'agents') {
  const { Agent, run, tool, setOpenAIAPI, setTracingDisabled, setDefaultOpenAIKey } = await import('@openai/agents');
  // OPENAI_BASE_URL points the SDK's OpenAI client at Junction.
  process.env.OPENAI_BASE_URL = `${url}/v1`;
  setDefaultOpenAIKey(key);
  setTracingDisabled(true);
  setOpenAIAPI(api);
  const agent = new Agent({
    name: 'reader',
    instructions: 'You answer questions about files by reading them with your tool.',
    model,
    tools: [tool({
      name: 'read_file',
      description: 'Reads a text file and returns its contents',
      parameters: z.object({ path: z.string() }),
      execute: async (input) => readFile(input),
    })],
  });
  if (mode === 'stream') {
    const result = await run(agent, prompt, { stream: true });
    for await (const _event of result) { /* drain */ }
    await result.completed;
    console.log(result.finalOutput);
  } else {
    const result = await run(agent, prompt);
    console.log(result.finalOutput);
  }
} else {
  throw new Error(`unknown sdk ${sdk}`);
}
