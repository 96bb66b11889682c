/** The plotly.js partial bundle ships no types; src/plot/plotly.ts types the parts convlab uses. */
declare module 'plotly.js-cartesian-dist-min' {
  const plotly: unknown;
  export default plotly;
}
