export { lstmCellPass, raiseLstmCells, type RaisedCell } from './lstm-cell-pass.js';
