print("labbook")
