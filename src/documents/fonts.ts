import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The fonts every format embeds: DejaVu (covers German umlauts, ß and typographic quotes),
 * installed from npm with the project, so nothing is fetched when a report is rendered.
 */
const require = createRequire(import.meta.url);

export const fontFamily = 'DejaVu Sans';
export const fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((file) =>
  join(fontDir, file),
);
