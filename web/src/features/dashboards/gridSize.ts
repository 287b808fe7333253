// The grid's measures, shared by the grid and the tiles that size their charts to it.
export const ROW_HEIGHT = 80;
export const MARGIN = 12;
