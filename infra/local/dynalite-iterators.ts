// dynalite reads every Query and Scan through a stream over a LevelDB iterator, and when that stream ends or is
// destroyed (a Limit reached) it closes the iterator by calling `iterator.return()`. abstract-level's iterators
// (level 10, which dynalite 4 uses) have no `return()`; they close with `close()`, or at the end of a
// `for await`. So no iterator was ever closed: each stayed in the database's list of open resources, with its
// native LevelDB iterator and the snapshot that pins memtables and table files, and the runtime's memory grew with
// every query (renders, editor queues). Giving the iterators the `return()` dynalite calls closes them.
import { AbstractIterator } from 'abstract-level';

interface Closable {
  close(): Promise<void>;
  return?: () => Promise<void>;
}

/** The prototype every abstract-level iterator (entries, keys, values) inherits from. */
const common = Object.getPrototypeOf(AbstractIterator.prototype) as Closable;
if (typeof common.return !== 'function') {
  common.return = function closeIterator(this: Closable) {
    return this.close();
  };
}
