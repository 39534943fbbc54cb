//! The encoded training set. A word's own attributes and what it contributes to its
//! neighbours are stored once per distinct word, in memory ([`WordTable`]); each token keeps
//! only its word, its position-dependent attributes (bigrams, gazetteer tags, sequence-edge
//! markers) and its gold label — about 20 bytes per token — and those are written to scratch
//! space in blocks of sequences ([`BlockStore`]), so memory does not grow with the corpus.

use std::io;
use std::ops::Range;

use crate::corpus::Scratch;
use crate::features;

/// Sequence chunks per CRF pass; fixed so results are identical on any machine.
const CHUNKS: usize = 8;

/// Attribute ids of every distinct word.
#[derive(Debug, Default)]
pub(crate) struct WordTable {
    /// Own attribute ids of all distinct words, concatenated.
    pub own: Vec<u32>,
    /// End of each word's own ids in `own`.
    pub own_ends: Vec<u32>,
    /// Per word: (lower case, shape) ids as a neighbour at each of `features::OFFSETS`.
    pub neighbour: Vec<[u32; 8]>,
}

/// The per-token data of a run of sequences; token and context indices are local to it.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Tokens {
    /// Word of each token.
    pub words: Vec<u32>,
    /// Position-dependent attribute ids of all tokens, concatenated.
    pub context: Vec<u32>,
    /// End of each token's ids in `context`.
    pub context_ends: Vec<u32>,
    /// End of each sequence's tokens.
    pub seq_ends: Vec<u32>,
    /// Gold label of each token.
    pub gold: Vec<u16>,
}

fn slice_of<'a>(all: &'a [u32], ends: &[u32], i: usize) -> &'a [u32] {
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &all[start..ends[i] as usize]
}

impl Tokens {
    /// Empties it, keeping the allocations.
    pub(crate) fn clear(&mut self) {
        self.words.clear();
        self.context.clear();
        self.context_ends.clear();
        self.seq_ends.clear();
        self.gold.clear();
    }

    /// Appends the sequences of `other` after its own.
    pub(crate) fn append(&mut self, other: &Tokens) {
        let (tokens, context) = (self.gold.len() as u32, self.context.len() as u32);
        self.words.extend_from_slice(&other.words);
        self.context.extend_from_slice(&other.context);
        self.context_ends
            .extend(other.context_ends.iter().map(|e| e + context));
        self.seq_ends
            .extend(other.seq_ends.iter().map(|e| e + tokens));
        self.gold.extend_from_slice(&other.gold);
    }

    /// The bytes of this block: three counts, then the arrays, little-endian.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + 4 * (self.context.len() + 3 * self.gold.len()));
        for n in [self.seq_ends.len(), self.gold.len(), self.context.len()] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for part in [
            &self.seq_ends,
            &self.words,
            &self.context_ends,
            &self.context,
        ] {
            part.iter()
                .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        }
        self.gold
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        out
    }

    /// Reads a block written by `to_bytes` into `self` (replacing its content).
    fn read_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "damaged training block");
        let mut at = 0usize;
        let mut next = |n: usize| -> io::Result<&[u8]> {
            let part = bytes.get(at..at + n).ok_or_else(bad)?;
            at += n;
            Ok(part)
        };
        let mut counts = [0usize; 3];
        for c in &mut counts {
            let b = next(4)?;
            *c = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        }
        let [n_seq, n_tok, n_ctx] = counts;
        let u32s = |b: &[u8], out: &mut Vec<u32>| {
            out.clear();
            out.extend(
                b.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        };
        u32s(next(4 * n_seq)?, &mut self.seq_ends);
        u32s(next(4 * n_tok)?, &mut self.words);
        u32s(next(4 * n_tok)?, &mut self.context_ends);
        u32s(next(4 * n_ctx)?, &mut self.context);
        let gold = next(2 * n_tok)?;
        self.gold.clear();
        self.gold.extend(
            gold.chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]])),
        );
        Ok(())
    }
}

/// A run of sequences with the word table its word ids refer to.
#[derive(Clone, Copy)]
pub(crate) struct Encoded<'a> {
    /// The distinct words.
    pub table: &'a WordTable,
    /// The sequences.
    pub seqs: &'a Tokens,
}

impl Encoded<'_> {
    /// The tokens of sequence `seq`.
    pub(crate) fn tokens(&self, seq: usize) -> Range<usize> {
        let ends = &self.seqs.seq_ends;
        let start = if seq == 0 { 0 } else { ends[seq - 1] as usize };
        start..ends[seq] as usize
    }

    /// Calls `f` with every attribute id of `token`, a token of the sequence `seq`.
    #[inline]
    pub(crate) fn for_each_id(&self, token: usize, seq: &Range<usize>, mut f: impl FnMut(u32)) {
        let words = &self.seqs.words;
        let word = words[token] as usize;
        slice_of(&self.table.own, &self.table.own_ends, word)
            .iter()
            .for_each(|&a| f(a));
        for (slot, &d) in features::OFFSETS.iter().enumerate() {
            if let Some(j) = token.checked_add_signed(d).filter(|j| seq.contains(j)) {
                let nb = &self.table.neighbour[words[j] as usize];
                f(nb[2 * slot]);
                f(nb[2 * slot + 1]);
            }
        }
        slice_of(&self.seqs.context, &self.seqs.context_ends, token)
            .iter()
            .for_each(|&a| f(a));
    }

    /// Sequence ranges of about equal token counts.
    pub(crate) fn chunks(&self) -> Vec<Range<usize>> {
        let ends = &self.seqs.seq_ends;
        let total = self.seqs.gold.len().max(1);
        let mut out = Vec::with_capacity(CHUNKS);
        let mut start = 0;
        for c in 1..=CHUNKS {
            let target = total * c / CHUNKS;
            let end = if c == CHUNKS {
                ends.len()
            } else {
                ends.partition_point(|&e| (e as usize) <= target).max(start)
            };
            out.push(start..end);
            start = end;
        }
        out
    }
}

/// Blocks of sequences in scratch space, read back one block at a time.
pub(crate) struct BlockStore {
    scratch: Box<dyn Scratch>,
    /// Offset and length of each block.
    blocks: Vec<(u64, usize)>,
}

impl BlockStore {
    /// An empty store writing to `scratch`.
    pub(crate) fn new(scratch: Box<dyn Scratch>) -> Self {
        BlockStore {
            scratch,
            blocks: Vec::new(),
        }
    }

    /// Appends a block.
    pub(crate) fn push(&mut self, block: &Tokens) -> io::Result<()> {
        let bytes = block.to_bytes();
        let offset = self.scratch.len();
        self.scratch.append(&bytes)?;
        self.blocks.push((offset, bytes.len()));
        Ok(())
    }

    /// Number of blocks.
    pub(crate) fn len(&self) -> usize {
        self.blocks.len()
    }

    /// Reads block `i` into `into`; `buf` is reused between calls.
    pub(crate) fn read(&self, i: usize, buf: &mut Vec<u8>, into: &mut Tokens) -> io::Result<()> {
        let (offset, len) = self.blocks[i];
        buf.resize(len, 0);
        self.scratch.read_at(offset, buf)?;
        into.read_bytes(buf)
    }

    /// Blocks `ids`, in that order, as one run of sequences.
    pub(crate) fn load(&self, ids: &[usize], into: &mut Tokens) -> io::Result<()> {
        into.clear();
        let (mut buf, mut block) = (Vec::new(), Tokens::default());
        for &i in ids {
            self.read(i, &mut buf, &mut block)?;
            into.append(&block);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_round_trip_and_concatenate() {
        let a = Tokens {
            words: vec![0, 1, 2],
            context: vec![5, 6, 7, 8],
            context_ends: vec![1, 3, 4],
            seq_ends: vec![2, 3],
            gold: vec![1, 0, 2],
        };
        let mut store = BlockStore::new(Box::new(Vec::new()));
        store.push(&a).unwrap();
        store.push(&a).unwrap();
        let mut all = Tokens::default();
        store.load(&[0, 1], &mut all).unwrap();
        let mut expected = a.clone();
        expected.append(&a);
        assert_eq!(all, expected);
        assert_eq!(all.seq_ends, [2, 3, 5, 6]);
        assert_eq!(all.context_ends[3..], [5, 7, 8]);
    }
}
