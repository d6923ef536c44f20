"""scoring/kinds"""
