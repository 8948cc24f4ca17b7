//! # yitu-monitoring
//!
//! 非现场执法: automatic-monitoring data (HJ 212-2017) and electricity meters, and the
//! anomalies they show, each with the hours that prove it. Pure algorithms; reading the files
//! is [`files`].
//!
//! - [`hj212`]: packets, their CRC and data segment;
//! - [`params`]: data flags and pollutant codes;
//! - [`time`]: Asia/Shanghai hours, weeks and months;
//! - [`series`]: the data held per point and parameter, hour by hour;
//! - [`power`]: production and treatment meters;
//! - [`context`]: firms, limits, halt periods and events the data is judged against;
//! - [`rules`]: the eight rules and transmission;
//! - [`report`]: what `yitu monitor` writes;
//! - [`files`]: the logs and CSV files, every bad line named;
//! - [`archive`]: a run kept in a project, compactly;
//! - [`synthetic`]: generated series with planted anomalies and their truth;
//! - [`independent`]: a second generator, written apart, to test on data not tuned on.

pub mod archive;
pub mod context;
pub mod files;
pub mod hj212;
pub mod independent;
pub mod params;
pub mod power;
pub mod report;
pub mod rules;
pub mod series;
pub mod synthetic;
pub mod time;
