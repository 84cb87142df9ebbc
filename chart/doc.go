// Package chart draws valuekit's results.
package chart
