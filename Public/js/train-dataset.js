// What the dashboard says about a dataset and its validation pictures: the split, and a
// warning when too few pictures are held out for the checkpoint table to mean anything.
import { DatasetSplit, FEW_VALIDATION_PICTURES, HASH_SPLIT_ONE_IN } from "./protocol.js";

const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** One line on how `dataset` (an entry of `GET /api/datasets`) is split. */
export function describeSplit(dataset) {
  if (dataset.split === DatasetSplit.folders) {
    return `${plural(dataset.train, "training picture")} (train/) and ${plural(dataset.validation, "validation picture")} (val/).`;
  }
  return `${plural(dataset.pictures, "picture")}: ${dataset.validation} held out for validation ` +
    `(1 in ${HASH_SPLIT_ONE_IN}, picked by file name), ${dataset.train} to train on.`;
}

/**
 * The warning for a dataset or run validated on `count` pictures, or "" when there are enough.
 * `split` says how the person can get more.
 */
export function validationWarning(count, split) {
  if (count >= FEW_VALIDATION_PICTURES) return "";
  const how = split === DatasetSplit.folders
    ? `put at least ${FEW_VALIDATION_PICTURES} pictures in val/`
    : `add pictures (about ${FEW_VALIDATION_PICTURES * HASH_SPLIT_ONE_IN} hold out ${FEW_VALIDATION_PICTURES}) or make train/ and val/ subfolders with at least ${FEW_VALIDATION_PICTURES} in val/`;
  if (count === 0) return `No validation pictures: the checkpoint table will stay empty and no best checkpoint is kept. To measure the model, ${how}.`;
  return `Only ${plural(count, "validation picture")}: the checkpoint table would measure the model on so few that its figures are mostly noise. For figures you can compare, ${how}.`;
}
