import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'rule';

/**
 * Writes one YAML file per named document into `dir` (created if missing), each named after its
 * document (`Close noise` → `close-noise.yaml`, `-2` … on a clash); returns the file names.
 */
export async function writeYamlFiles(dir: string, documents: { name: string }[]): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const used = new Set<string>();
  const files: string[] = [];
  for (const document of documents) {
    let name = slug(document.name);
    for (let n = 2; used.has(name); n++) name = `${slug(document.name)}-${n}`;
    used.add(name);
    files.push(`${name}.yaml`);
    await fs.writeFile(path.join(dir, `${name}.yaml`), YAML.stringify(document, { lineWidth: 0 }));
  }
  return files;
}
