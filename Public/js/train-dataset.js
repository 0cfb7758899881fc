// What the dashboard says about a dataset and its validation pictures: the split, and a
// warning when too few pictures are held out for the checkpoint table to mean anything.
import { FEW_VALIDATION_PICTURES, HASH_SPLIT_ONE_IN } from "./protocol.js";

const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** Whether `dataset` (an entry of `GET /api/datasets`) is split by train/ and val/ subfolders. */
export function splitByFolders(dataset) {
  return dataset.train !== null && dataset.train !== undefined;
}

/** How many validation pictures `dataset` has. */
export function validationCount(dataset) {
  return splitByFolders(dataset) ? dataset.validation : dataset.heldOut ?? 0;
}

/** One line on how `dataset` is split. */
export function describeSplit(dataset) {
  if (splitByFolders(dataset)) {
    return `${plural(dataset.train, "training picture")} (train/) and ${plural(dataset.validation, "validation picture")} (val/).`;
  }
  return `${plural(dataset.pictures, "picture")}: ${dataset.heldOut} held out for validation ` +
    `(1 in ${HASH_SPLIT_ONE_IN}, picked by file name), ${dataset.pictures - dataset.heldOut} to train on.`;
}

/**
 * The warning for a dataset or run validated on `count` pictures, or "" when there are enough.
 * `byFolders` (whether the dataset has train/ and val/) says how the person can get more.
 */
export function validationWarning(count, byFolders) {
  if (count >= FEW_VALIDATION_PICTURES) return "";
  const how = byFolders
    ? `put at least ${FEW_VALIDATION_PICTURES} pictures in val/`
    : `add pictures (about ${FEW_VALIDATION_PICTURES * HASH_SPLIT_ONE_IN} hold out ${FEW_VALIDATION_PICTURES}) or make train/ and val/ subfolders with at least ${FEW_VALIDATION_PICTURES} in val/`;
  if (count === 0) return `No validation pictures: the checkpoint table will stay empty and no best checkpoint is kept. To measure the model, ${how}.`;
  return `Only ${plural(count, "validation picture")}: the checkpoint table measures the model on so few that its figures are mostly noise. For figures you can compare, ${how}.`;
}
