/* store_types.h - the types of the store interface (store.h) that its
 * backends (backend.h) share. */
#ifndef CRM_STORE_TYPES_H
#define CRM_STORE_TYPES_H

struct crm_store;
/* A prepared statement of a store. */
struct crm_stmt;

/* What crm_store_step returns for a row and at the end. */
enum {
	CRM_ROW = 100,
	CRM_DONE = 101,
};

/* The type of a column's value in the current row. */
enum crm_type {
	CRM_INTEGER = 1,
	CRM_FLOAT = 2,
	CRM_TEXT = 3,
	CRM_NULL = 5,
};

/* Limits of the backend that a built-up statement must respect. */
enum crm_limit {
	CRM_LIMIT_COLUMNS,   /* columns in a result or table */
	CRM_LIMIT_EXPR_DEPTH, /* nesting of an expression */
	CRM_LIMIT_PARAMS,    /* parameters of one statement */
};

/* How a command uses the store. One that writes creates a missing store
 * and its directories; one that only reads never creates anything: a
 * missing store is CRM_EX_NOINPUT (66), "no store at PATH". */
enum crm_store_mode {
	CRM_STORE_WRITE,
	CRM_STORE_READ,
};

/* A scalar SQL function implemented in C (crm_store_function). */
struct crm_fn_call;
typedef void crm_sql_fn(struct crm_fn_call *call, void *ctx);

#endif
