//! Minimising the CRF objective with argmin's L-BFGS (More–Thuente line search), wrapped to
//! report progress after every iteration, to stop when asked, and to end when the objective
//! improves by less than `delta` (relative) over `period` iterations — CRFsuite's test.

use std::sync::atomic::{AtomicBool, Ordering};

use argmin::core::{
    Executor, IterState, KV, Problem, Solver, State, TerminationReason, TerminationStatus,
};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;

use crate::NerError;
use crate::objective::Objective;

type LbfgsState = IterState<Array1<f64>, Array1<f64>, (), (), (), f64>;

/// Optimizer settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub max_iterations: u64,
    pub history: usize,
    pub delta: f64,
    pub period: usize,
}

/// Minimises `objective` from zero weights; `progress` gets the fraction of `max_iterations`
/// done after each iteration.
pub(crate) fn minimise(
    objective: Objective<'_>,
    settings: Settings,
    progress: &mut dyn FnMut(f64),
    cancel: &AtomicBool,
) -> Result<Vec<f64>, NerError> {
    let n = objective.layout.len;
    let lbfgs = LBFGS::new(MoreThuenteLineSearch::new(), settings.history)
        .with_tolerance_grad(0.0)
        .and_then(|s| s.with_tolerance_cost(0.0))
        .map_err(|e| NerError::Optimizer(e.to_string()))?;
    let solver = Monitored {
        inner: lbfgs,
        progress,
        cancel,
        settings,
        costs: Vec::new(),
    };
    let result = Executor::new(objective, solver)
        .configure(|state| {
            state
                .param(Array1::zeros(n))
                .max_iters(settings.max_iterations)
        })
        .ctrlc(false)
        .run();
    if cancel.load(Ordering::Relaxed) {
        return Err(NerError::Stopped);
    }
    let mut res = result.map_err(|e| NerError::Optimizer(e.to_string()))?;
    let state = &mut res.state;
    let w = state
        .take_best_param()
        .or_else(|| state.take_param())
        .ok_or_else(|| NerError::Optimizer("no parameters returned".into()))?;
    Ok(w.to_vec())
}

struct Monitored<'a, S> {
    inner: S,
    progress: &'a mut dyn FnMut(f64),
    cancel: &'a AtomicBool,
    settings: Settings,
    costs: Vec<f64>,
}

impl<O, S: Solver<O, LbfgsState>> Solver<O, LbfgsState> for Monitored<'_, S> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn init(
        &mut self,
        problem: &mut Problem<O>,
        state: LbfgsState,
    ) -> Result<(LbfgsState, Option<KV>), argmin::core::Error> {
        self.inner.init(problem, state)
    }

    fn next_iter(
        &mut self,
        problem: &mut Problem<O>,
        state: LbfgsState,
    ) -> Result<(LbfgsState, Option<KV>), argmin::core::Error> {
        let iteration = state.get_iter() + 1;
        let (state, kv) = self.inner.next_iter(problem, state)?;
        self.costs.push(state.get_cost());
        (self.progress)(iteration as f64 / self.settings.max_iterations.max(1) as f64);
        Ok((state, kv))
    }

    fn terminate_internal(&mut self, state: &LbfgsState) -> TerminationStatus {
        if self.cancel.load(Ordering::Relaxed) {
            return TerminationStatus::Terminated(TerminationReason::Interrupt);
        }
        let status = self.inner.terminate_internal(state);
        if status.terminated() {
            return status;
        }
        let period = self.settings.period;
        if self.costs.len() > period {
            let now = self.costs[self.costs.len() - 1];
            let then = self.costs[self.costs.len() - 1 - period];
            if (then - now) / now.abs().max(f64::MIN_POSITIVE) < self.settings.delta {
                return TerminationStatus::Terminated(TerminationReason::SolverExit(
                    "objective no longer improving".into(),
                ));
            }
        }
        TerminationStatus::NotTerminated
    }
}
