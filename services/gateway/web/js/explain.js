// The reasons the dispatch service gives for a candidate's rank and a person's lane, in the person's
// language. The service writes them in English with fixed shapes (services/dispatch/rank.cc, grid.cc);
// a line of another shape is shown as the service wrote it.
import { t, label } from './i18n.js';

const SHAPES = [
  [/^fits the public ([\w-]+): 100$/, (m) => t('explain.fits_public', { public: label('public', m[1]) })],
  [/^pets allowed$/, () => t('explain.pets')],
  [/^wheelchair accessible$/, () => t('explain.wheelchair')],
  [/^the shelter the person asked for: \+(\d+)$/, (m) => t('explain.preferred_shelter', { points: m[1] })],
  [/^in a commune the person prefers: \+(\d+)$/, (m) => t('explain.preferred_commune', { points: m[1] })],
  [/^speaks the person's language: \+(\d+)$/, (m) => t('explain.language', { points: m[1] })],
  [/^figures not confirmed recently, call the shelter first: -(\d+)$/, (m) => t('explain.unconfirmed', { points: m[1] })],
  [/^(\d+) free: \+(\d+)$/, (m) => t('explain.free', { free: m[1], points: m[2] })],
  [/^need (\w+): \+(\d+)$/, (m) => t('explain.need', { need: label('enum', m[1]), points: m[2] })],
  [/^age band (\w+): \+(\d+)$/, (m) => t('explain.age', { age: label('enum', m[1]), points: m[2] })],
  [/^household with children: \+(\d+)$/, (m) => t('explain.children', { points: m[1] })],
  [/^score (\d+) reaches the threshold (\d+) of grid version (\d+): priority lane$/,
    (m) => t('explain.priority', { score: m[1], threshold: m[2], version: m[3] })],
  [/^score (\d+) is below the threshold (\d+) of grid version (\d+): standard lane$/,
    (m) => t('explain.standard', { score: m[1], threshold: m[2], version: m[3] })],
];

export function explain(line) {
  for (const [shape, say] of SHAPES) {
    const m = shape.exec(line);
    if (m) return say(m);
  }
  return line;
}
