// Configuration from the environment, read once at start-up. A missing variable stops the function cold.

export function requireEnv<const K extends string>(...names: K[]): Record<K, string> {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) throw new Error(`Missing required environment variable(s): ${missing.join(', ')}`);
  return Object.fromEntries(names.map((name) => [name, process.env[name] as string])) as Record<K, string>;
}

export const optionalEnv = (name: string): string | undefined => process.env[name] || undefined;
