import * as fs from 'node:fs';

export interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}

export interface DockerStage {
  readonly name: string;
  readonly from: string;
  readonly instructions: readonly DockerInstruction[];
}

/**
 * The stages of a Dockerfile and their instructions (line continuations joined, comments
 * dropped). Enough for static checks; no Docker engine is needed.
 */
export function parseDockerfile(file: string): DockerStage[] {
  const lines = fs
    .readFileSync(file, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Array<{ name: string; from: string; instructions: DockerInstruction[] }> = [];
  for (const line of lines) {
    const [keyword, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!match) throw new Error(`${file}: cannot read "${line}"`);
      stages.push({ from: match[1], name: match[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** COPY's sources and destination, and its --from stage if any. */
export function copyOf(instruction: DockerInstruction): {
  from?: string;
  sources: string[];
  destination: string;
} {
  const parts = instruction.args.split(/\s+/);
  const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
  const paths = parts.filter((p) => !p.startsWith('--'));
  return { from, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
}

/** The JSON-array form of CMD/ENTRYPOINT, as the runtime sees it. */
export function execForm(instruction: DockerInstruction | undefined): string[] {
  if (!instruction) return [];
  const parsed = JSON.parse(instruction.args) as unknown;
  if (!Array.isArray(parsed))
    throw new Error(`${instruction.keyword} must use the exec (JSON array) form`);
  return parsed.map(String);
}

/** The variables a stage's ENV instructions set (`ENV A=1 B=2`; values without spaces). */
export function envOf(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((i) => i.keyword === 'ENV'))
    for (const pair of instruction.args.split(/\s+/)) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  return env;
}
