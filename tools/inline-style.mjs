// Puts an extension page's own stylesheets into the page (<style>), for build.sh: a frame that
// loads one file fewer shows its content sooner. Extension pages' CSP limits scripts, not styles.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const page = process.argv[2];
const html = readFileSync(page, 'utf8');
const link = /<link rel="stylesheet" href="([\w.-]+\.css)">/g;
if (!link.test(html)) throw new Error(`${page}: no stylesheet of its own to inline`);
writeFileSync(page, html.replace(link, (_, file) => {
  const css = readFileSync(join(dirname(page), file), 'utf8');
  if (/<\/style/i.test(css)) throw new Error(`${file} cannot stand in a <style> element`);
  return `<style>\n${css}</style>`;
}));
