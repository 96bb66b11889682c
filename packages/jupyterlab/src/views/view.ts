/** What a renderer widget shows: one view per display, re-rendered in place on updates. */
export interface View<T> {
  readonly node: HTMLElement;
  /** Shows `data`. Called again with new data for live updates: the view updates in place. */
  render(data: T): Promise<void>;
  /** Fits the view to its container after the notebook was resized. */
  resize(): void;
  /** Releases everything the view holds (plots, observers). */
  dispose(): void;
}
